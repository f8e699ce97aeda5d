package dev.ghostgym.app.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ghostgym.app.io.Interrupt;
import dev.ghostgym.app.io.Progress;
import dev.ghostgym.cluster.ClusterSettings;
import dev.ghostgym.cluster.EnvNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * {@code eval --cluster}'s matrix on a cluster of actor systems in this JVM (127.0.0.1, free
 * ports): the coordinator's node and two workers. The outcomes equal a local {@link Matrix#run}
 * number for number; a third worker that stops without leaving while it holds cells has exactly
 * those cells run again on the others.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterMatrixTest {
  private static final long TASKS = 400;
  private static final List<Cell> CELLS =
      Matrix.cells(
          List.of("mmc"), List.of(2), List.of("fifo", "srpt"), List.of(0.5, 0.8), List.of(1L, 2L));
  private static EnvNode coordinator;
  private static EnvNode w1;
  private static EnvNode w2;
  private static List<RunOutcome> local;
  private static final CountDownLatch RELEASE = new CountDownLatch(1);

  @BeforeAll
  static void formCluster() throws InterruptedException {
    ClusterSettings base = ClusterSettings.load().withPort(0);
    coordinator = EnvNode.start(base.withRoles(List.of(ClusterSettings.LEARNER)));
    List<String> seed = List.of("127.0.0.1:" + coordinator.address().getPort().get());
    w1 = EnvNode.start(base.withSeedNodes(seed).withRoles(List.of(ClusterSettings.WORKER)));
    w2 = EnvNode.start(base.withSeedNodes(seed).withRoles(List.of(ClusterSettings.WORKER)));
    CellWorker.start(w1.system(), 2);
    CellWorker.start(w2.system(), 2);
    assertTrue(coordinator.awaitUp(3, Duration.ofSeconds(30)));
    try (Interrupt none = Interrupt.install(quiet())) {
      local = Matrix.run(CELLS, TASKS, 2, new Progress(quiet(), "runs", CELLS.size()), none);
    }
  }

  @AfterAll
  static void stop() {
    RELEASE.countDown();
    for (EnvNode n : new EnvNode[] {w2, w1, coordinator}) if (n != null) n.close();
  }

  private static PrintStream quiet() {
    return new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
  }

  private static void assertSameOutcomes(List<RunOutcome> expected, List<RunOutcome> got) {
    assertEquals(expected.size(), got.size());
    for (int i = 0; i < expected.size(); i++) {
      RunOutcome e = expected.get(i), g = got.get(i);
      assertEquals(e.cell(), g.cell(), "cell " + i);
      assertEquals(e.oracle(), g.oracle());
      assertEquals(e.metrics(), g.metrics(), "metrics of " + e.cell());
      assertArrayEquals(e.responseSampleUs(), g.responseSampleUs(), "sample of " + e.cell());
    }
  }

  @Test
  @Order(1)
  void sameNumbersAsALocalEvalWithTheRunsSpreadOverBothWorkers() {
    ByteArrayOutputStream bar = new ByteArrayOutputStream();
    ClusterMatrix.Result r =
        ClusterMatrix.run(
            coordinator.system(),
            CELLS,
            TASKS,
            new ClusterMatrix.Waits(2, Duration.ofSeconds(30)),
            new Progress(new PrintStream(bar, true, StandardCharsets.UTF_8), "runs", CELLS.size()),
            () -> false,
            quiet());
    assertNull(r.stoppedBecause());
    assertSameOutcomes(local, r.outcomes());
    assertEquals(0, r.reruns());
    assertEquals(2, r.runsPerNode().size(), "both workers ran cells: " + r.runsPerNode());
    assertEquals(CELLS.size(), r.runsPerNode().values().stream().mapToInt(Integer::intValue).sum());
    assertTrue(bar.toString(StandardCharsets.UTF_8).contains("8/8 runs"), bar.toString());
  }

  @Test
  @Order(2)
  void aWorkerThatDiesMidMatrixHasItsCellsRunAgainElsewhere() throws Exception {
    // a third worker whose runs never finish; it stops without leaving the cluster (no graceful
    // hand-over), so the coordinator learns of it only when the split-brain resolver downs it
    EnvNode doomed =
        EnvNode.start(
            ClusterSettings.load()
                .withPort(0)
                .withSeedNodes(List.of("127.0.0.1:" + coordinator.address().getPort().get()))
                .withRoles(List.of(ClusterSettings.WORKER)),
            "pekko.coordinated-shutdown.run-by-actor-system-terminate = off");
    assertTrue(doomed.awaitUp(4, Duration.ofSeconds(30)));
    CountDownLatch holding = new CountDownLatch(2);
    AtomicInteger taken = new AtomicInteger();
    CellWorker.start(
        doomed.system(),
        2,
        (cell, tasks) -> {
          taken.incrementAndGet();
          holding.countDown();
          try {
            RELEASE.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          throw new IllegalStateException("never answers");
        });
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    CompletableFuture<ClusterMatrix.Result> run =
        CompletableFuture.supplyAsync(
            () ->
                ClusterMatrix.run(
                    coordinator.system(),
                    CELLS,
                    TASKS,
                    new ClusterMatrix.Waits(3, Duration.ofSeconds(30)),
                    new Progress(quiet(), "runs", CELLS.size()),
                    () -> false,
                    new PrintStream(log, true, StandardCharsets.UTF_8)));
    assertTrue(holding.await(30, TimeUnit.SECONDS), "the doomed worker took its 2 cells");
    String gone = doomed.address().toString();
    doomed.system().terminate(); // no Leave: its actors and remoting stop, the cluster sees a crash
    ClusterMatrix.Result r = run.get(60, TimeUnit.SECONDS);
    assertNull(r.stoppedBecause());
    assertSameOutcomes(local, r.outcomes());
    assertEquals(2, taken.get());
    assertEquals(2, r.reruns(), "exactly the 2 cells in flight on the dead worker ran again");
    assertEquals(List.of(gone), r.workersLost());
    assertFalse(r.runsPerNode().containsKey(gone));
    assertEquals(CELLS.size(), r.runsPerNode().values().stream().mapToInt(Integer::intValue).sum());
    assertTrue(
        log.toString(StandardCharsets.UTF_8)
            .contains("worker " + gone + " is gone; its 2 run(s) in flight start again elsewhere"),
        log.toString(StandardCharsets.UTF_8));
  }

  @Test
  @Order(3)
  void aFailingRunFailsTheEvaluationNamingTheCellAndTheWorker() {
    List<Cell> bad = List.of(new Cell("mmc", 2, "model:/nonexistent-model-dir", 0.5, 1));
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () ->
                ClusterMatrix.run(
                    coordinator.system(),
                    bad,
                    TASKS,
                    new ClusterMatrix.Waits(1, Duration.ofSeconds(30)),
                    new Progress(quiet(), "runs", 1),
                    () -> false,
                    quiet()));
    assertTrue(
        e.getMessage().startsWith("run mmc/2/0.50/model:/nonexistent-model-dir seed 1 failed on"),
        e.getMessage());
  }

  @Test
  @Order(4)
  void withTooFewWorkersItGivesUpWithTheReason() {
    ClusterMatrix.Result r =
        ClusterMatrix.run(
            coordinator.system(),
            CELLS,
            TASKS,
            new ClusterMatrix.Waits(5, Duration.ofMillis(1500)),
            new Progress(quiet(), "runs", CELLS.size()),
            () -> false,
            quiet());
    assertEquals("2 of 5 eval worker(s) joined within PT1.5S", r.stoppedBecause());
    assertTrue(r.outcomes().isEmpty());
  }
}
