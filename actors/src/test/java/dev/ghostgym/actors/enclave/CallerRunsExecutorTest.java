package dev.ghostgym.actors.enclave;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The executor only queues; the waiting caller runs the tasks, in submission order. */
class CallerRunsExecutorTest {
  @Test
  void executeOnlyQueuesAndTheCallerRunsTasksInOrder() {
    CallerRunsExecutor e = new CallerRunsExecutor();
    List<String> ran = new ArrayList<>();
    e.execute(
        () -> {
          ran.add("a");
          e.execute(() -> ran.add("c")); // submitted while running: after b
        });
    e.execute(() -> ran.add("b"));
    assertEquals(List.of(), ran, "nothing runs on execute");
    assertEquals(3, e.runQueued());
    assertEquals(List.of("a", "b", "c"), ran);
  }

  @Test
  void runUntilStopsAsSoonAsTheConditionHolds() {
    CallerRunsExecutor e = new CallerRunsExecutor();
    List<Integer> ran = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      int k = i;
      e.execute(() -> ran.add(k));
    }
    e.runUntil(() -> ran.size() == 2, TimeUnit.SECONDS.toNanos(1));
    assertEquals(List.of(0, 1), ran);
    assertEquals(3, e.queued());
  }

  @Test
  void aWaitingCallerRunsTasksSubmittedFromOtherThreads() throws Exception {
    CallerRunsExecutor e = new CallerRunsExecutor();
    AtomicBoolean done = new AtomicBoolean();
    Thread[] runner = new Thread[1];
    Thread other =
        new Thread(
            () -> {
              try {
                Thread.sleep(20);
              } catch (InterruptedException ignored) {
                return;
              }
              e.execute(
                  () -> {
                    runner[0] = Thread.currentThread();
                    done.set(true);
                  });
            });
    other.start();
    e.runUntil(done::get, TimeUnit.SECONDS.toNanos(5));
    other.join();
    assertEquals(Thread.currentThread(), runner[0], "the task ran on the waiting thread");
  }

  @Test
  void aReplyThatNeverComesIsAnErrorNotAHang() {
    CallerRunsExecutor e = new CallerRunsExecutor();
    IllegalStateException x =
        assertThrows(
            IllegalStateException.class,
            () -> e.runUntil(() -> false, TimeUnit.MILLISECONDS.toNanos(50)));
    assertTrue(x.getMessage().contains("50 ms"), x.getMessage());
  }

  @Test
  void shutdownByAnIdleDispatcherDoesNotRejectLaterWork() {
    CallerRunsExecutor e = new CallerRunsExecutor();
    e.shutdown();
    assertTrue(e.isShutdown());
    e.reopen();
    AtomicBoolean ran = new AtomicBoolean();
    e.execute(() -> ran.set(true));
    e.runQueued();
    assertTrue(ran.get());
  }
}
