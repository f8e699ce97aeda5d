package dev.ghostgym.abi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class MessageTypeTest {

  /** The §1.3/§1.4 tables: payload size, length and slots for ABI 91, then for ABI 84. */
  @ParameterizedTest
  @CsvSource({
    "NOP,                    0,   0,  8, 1,  0,  8, 1, false, false",
    "TASK_DEAD,             64,  16, 24, 3,  8, 16, 2, true,  false",
    "TASK_BLOCKED,          65,  32, 40, 5, 32, 40, 5, true,  false",
    "TASK_WAKEUP,           66,  32, 40, 5, 32, 40, 5, true,  false",
    "TASK_NEW,              67,  48, 56, 7, 40, 48, 6, true,  false",
    "TASK_PREEMPT,          68,  40, 48, 6, 40, 48, 6, true,  false",
    "TASK_YIELD,            69,  40, 48, 6, 40, 48, 6, true,  false",
    "TASK_DEPARTED,         70,  24, 32, 4, 24, 32, 4, true,  false",
    "TASK_SWITCHTO,         71,  32, 40, 5, 32, 40, 5, true,  false",
    "TASK_AFFINITY_CHANGED, 72,   8, 16, 2,  8, 16, 2, true,  false",
    "TASK_ON_CPU,           73,  32, 40, 5, 32, 40, 5, true,  false",
    "TASK_PRIORITY_CHANGED, 74,  16, 24, 3, 16, 24, 3, true,  false",
    "TASK_LATCH_FAILURE,    75,  16, 24, 3, 16, 24, 3, true,  false",
    "CPU_TICK,             128,   8, 16, 2,  4, 12, 2, false, true",
    "CPU_TIMER_EXPIRED,    129,  24, 32, 4, 24, 32, 4, false, true",
    "CPU_NOT_IDLE,         130,  16, 24, 3, 16, 24, 3, false, true",
    "CPU_AVAILABLE,        131,   4, 12, 2,  4, 12, 2, false, true",
    "CPU_BUSY,             132,   4, 12, 2,  4, 12, 2, false, true",
    "CPU_AGENT_BLOCKED,    133,   4, 12, 2,  4, 12, 2, false, true",
    "CPU_AGENT_WAKEUP,     134,   4, 12, 2,  4, 12, 2, false, true",
  })
  void pinsEveryNumberAndSize(
      MessageType type,
      int number,
      int payload91,
      int length91,
      int slots91,
      int payload84,
      int length84,
      int slots84,
      boolean task,
      boolean cpu) {
    assertEquals(number, type.number());
    assertSame(type, MessageType.of(number));
    assertEquals(task, type.isTaskMessage());
    assertEquals(cpu, type.isCpuMessage());

    assertEquals(payload91, type.payloadSize(AbiVersion.V91));
    assertEquals(length91, type.length(AbiVersion.V91));
    assertEquals(slots91, type.slots(AbiVersion.V91));
    // ABI 90 has exactly ABI 91's layouts.
    assertEquals(payload91, type.payloadSize(AbiVersion.V90));
    assertEquals(length91, type.length(AbiVersion.V90));
    assertEquals(slots91, type.slots(AbiVersion.V90));

    assertEquals(payload84, type.payloadSize(AbiVersion.V84));
    assertEquals(length84, type.length(AbiVersion.V84));
    assertEquals(slots84, type.slots(AbiVersion.V84));
  }

  @Test
  void tableAboveCoversEveryConstant() {
    assertEquals(20, MessageType.values().length);
    assertEquals(8, MessageType.HEADER_SIZE);
  }

  @Test
  void typeRangesHaveInclusiveBounds() {
    // Bounds are checked through the constants nearest them; 127/191 have no message today.
    assertTrue(MessageType.TASK_DEAD.isTaskMessage());
    assertTrue(MessageType.CPU_TICK.isCpuMessage());
    assertFalse(MessageType.CPU_TICK.isTaskMessage());
    assertFalse(MessageType.TASK_LATCH_FAILURE.isCpuMessage());
  }

  @Test
  void payloadClassPerType() {
    assertNull(MessageType.NOP.payloadClass());
    assertSame(TaskNew.class, MessageType.TASK_NEW.payloadClass());
    assertSame(TaskDead.class, MessageType.TASK_DEAD.payloadClass());
    assertSame(TaskBlocked.class, MessageType.TASK_BLOCKED.payloadClass());
    assertSame(TaskWakeup.class, MessageType.TASK_WAKEUP.payloadClass());
    assertSame(TaskPreempt.class, MessageType.TASK_PREEMPT.payloadClass());
    assertSame(TaskYield.class, MessageType.TASK_YIELD.payloadClass());
    assertSame(TaskDeparted.class, MessageType.TASK_DEPARTED.payloadClass());
    assertSame(TaskSwitchto.class, MessageType.TASK_SWITCHTO.payloadClass());
    assertSame(TaskAffinityChanged.class, MessageType.TASK_AFFINITY_CHANGED.payloadClass());
    assertSame(TaskOnCpu.class, MessageType.TASK_ON_CPU.payloadClass());
    assertSame(TaskPriorityChanged.class, MessageType.TASK_PRIORITY_CHANGED.payloadClass());
    assertSame(TaskLatchFailure.class, MessageType.TASK_LATCH_FAILURE.payloadClass());
    assertSame(CpuTick.class, MessageType.CPU_TICK.payloadClass());
    assertSame(CpuTimerExpired.class, MessageType.CPU_TIMER_EXPIRED.payloadClass());
    assertSame(CpuNotIdle.class, MessageType.CPU_NOT_IDLE.payloadClass());
    assertSame(CpuEvent.class, MessageType.CPU_AVAILABLE.payloadClass());
    assertSame(CpuEvent.class, MessageType.CPU_BUSY.payloadClass());
    assertSame(CpuEvent.class, MessageType.CPU_AGENT_BLOCKED.payloadClass());
    assertSame(CpuEvent.class, MessageType.CPU_AGENT_WAKEUP.payloadClass());
  }

  @ParameterizedTest
  @ValueSource(ints = {-1, 1, 63, 76, 127, 135, 191, 192, 65536, Integer.MIN_VALUE})
  void unknownNumberIsNamed(int number) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> MessageType.of(number));
    assertTrue(e.getMessage().contains("type " + number + ";"), e.getMessage());
  }
}
