package dev.ghostgym.abi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class MessageTest {

  /** One valid payload per type, gtid 42 for task messages and cpu 7 for CPU messages. */
  static final Map<MessageType, Payload> SAMPLES =
      Map.ofEntries(
          Map.entry(MessageType.TASK_DEAD, new TaskDead(42, 3)),
          Map.entry(MessageType.TASK_BLOCKED, new TaskBlocked(42, 100, 5, 3, false)),
          Map.entry(MessageType.TASK_WAKEUP, new TaskWakeup(42, 9, true, 1, 2, 3)),
          Map.entry(MessageType.TASK_NEW, new TaskNew(42, 1, 0, true, -5, new SwInfo(0, 17), 0)),
          Map.entry(MessageType.TASK_PREEMPT, new TaskPreempt(42, 100, 6, 0, 3, false, true)),
          Map.entry(MessageType.TASK_YIELD, new TaskYield(42, 100, 6, 0, 3, false)),
          Map.entry(MessageType.TASK_DEPARTED, new TaskDeparted(42, 6, 3, false, true)),
          Map.entry(MessageType.TASK_SWITCHTO, new TaskSwitchto(42, 100, 6, 3)),
          Map.entry(MessageType.TASK_AFFINITY_CHANGED, new TaskAffinityChanged(42)),
          Map.entry(MessageType.TASK_ON_CPU, new TaskOnCpu(42, 1000, 6, 3)),
          Map.entry(MessageType.TASK_PRIORITY_CHANGED, new TaskPriorityChanged(42, 10)),
          Map.entry(MessageType.TASK_LATCH_FAILURE, new TaskLatchFailure(42, 16)),
          Map.entry(MessageType.CPU_TICK, new CpuTick(7, true)),
          Map.entry(MessageType.CPU_TIMER_EXPIRED, new CpuTimerExpired(7, 1, 99)),
          Map.entry(MessageType.CPU_NOT_IDLE, new CpuNotIdle(7, 42)),
          Map.entry(MessageType.CPU_AVAILABLE, new CpuEvent(7)),
          Map.entry(MessageType.CPU_BUSY, new CpuEvent(7)),
          Map.entry(MessageType.CPU_AGENT_BLOCKED, new CpuEvent(7)),
          Map.entry(MessageType.CPU_AGENT_WAKEUP, new CpuEvent(7)));

  @Test
  void everyTypeAcceptsItsPayloadAndExposesGtidOrCpu() {
    assertEquals(MessageType.values().length - 1, SAMPLES.size());
    for (Map.Entry<MessageType, Payload> e : SAMPLES.entrySet()) {
      Message m = new Message(e.getKey(), 5, e.getValue());
      assertSame(e.getKey(), m.type());
      assertEquals(5, m.seqnum());
      assertSame(e.getValue(), m.payload());
      if (e.getKey().isTaskMessage()) {
        assertEquals(42L, m.gtid());
        assertThrows(IllegalStateException.class, m::cpu);
      } else {
        assertEquals(7, m.cpu());
        assertThrows(IllegalStateException.class, m::gtid);
      }
    }
  }

  @Test
  void nopCarriesNullPayloadAndNeitherGtidNorCpu() {
    Message nop = new Message(MessageType.NOP, 0, null);
    assertNull(nop.payload());
    IllegalStateException e = assertThrows(IllegalStateException.class, nop::gtid);
    assertTrue(e.getMessage().contains("NOP"), e.getMessage());
    assertThrows(IllegalStateException.class, nop::cpu);
  }

  @Test
  void everyTypeRejectsEveryOtherPayloadClass() {
    for (MessageType type : MessageType.values()) {
      for (Payload p : SAMPLES.values()) {
        if (p.getClass() == type.payloadClass()) {
          continue;
        }
        IllegalArgumentException e =
            assertThrows(IllegalArgumentException.class, () -> new Message(type, 1, p));
        assertTrue(e.getMessage().contains(type.name()), e.getMessage());
        assertTrue(e.getMessage().contains(p.getClass().getSimpleName()), e.getMessage());
      }
    }
  }

  @Test
  void mismatchMessagesNameTypeAndClass() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new Message(MessageType.TASK_NEW, 1, new TaskDead(1, 0)));
    assertEquals("message type TASK_NEW needs payload TaskNew, got TaskDead", e.getMessage());

    e =
        assertThrows(
            IllegalArgumentException.class, () -> new Message(MessageType.NOP, 1, new CpuEvent(0)));
    assertEquals("message type NOP needs payload null, got CpuEvent", e.getMessage());

    e =
        assertThrows(
            IllegalArgumentException.class, () -> new Message(MessageType.CPU_BUSY, 1, null));
    assertEquals("message type CPU_BUSY needs payload CpuEvent, got null", e.getMessage());

    e = assertThrows(IllegalArgumentException.class, () -> new Message(null, 1, new CpuEvent(0)));
    assertTrue(e.getMessage().contains("CpuEvent"), e.getMessage());
  }

  @Test
  void recordsKeepTheirFields() {
    TaskNew n = new TaskNew(42, 1, 77, true, -5, new SwInfo(2, 17), 123);
    assertEquals(1L, n.parentGtid());
    assertEquals(77L, n.runtime());
    assertEquals(-5, n.nice());
    assertEquals(2, n.swInfo().id());
    assertEquals(17, n.swInfo().index());
    assertEquals(123L, n.agentData());
    assertEquals(16, new TaskLatchFailure(42, 16).error());
    assertEquals(new CpuEvent(7), new CpuEvent(7));
  }
}
