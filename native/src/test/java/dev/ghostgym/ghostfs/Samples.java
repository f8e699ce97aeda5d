package dev.ghostgym.ghostfs;

import dev.ghostgym.abi.AbiVersion;
import dev.ghostgym.abi.CpuEvent;
import dev.ghostgym.abi.CpuNotIdle;
import dev.ghostgym.abi.CpuTick;
import dev.ghostgym.abi.CpuTimerExpired;
import dev.ghostgym.abi.Message;
import dev.ghostgym.abi.MessageType;
import dev.ghostgym.abi.Payload;
import dev.ghostgym.abi.SwInfo;
import dev.ghostgym.abi.TaskAffinityChanged;
import dev.ghostgym.abi.TaskBlocked;
import dev.ghostgym.abi.TaskDead;
import dev.ghostgym.abi.TaskDeparted;
import dev.ghostgym.abi.TaskLatchFailure;
import dev.ghostgym.abi.TaskNew;
import dev.ghostgym.abi.TaskOnCpu;
import dev.ghostgym.abi.TaskPreempt;
import dev.ghostgym.abi.TaskPriorityChanged;
import dev.ghostgym.abi.TaskSwitchto;
import dev.ghostgym.abi.TaskWakeup;
import dev.ghostgym.abi.TaskYield;

/**
 * One message of every type with distinct, awkward values (negative ints, longs with all bytes set,
 * values above 2^31), so a field at the wrong offset or of the wrong width shows in a round trip.
 * Fields ABI 84 lacks are zero/false there.
 */
final class Samples {

  private Samples() {}

  static Message of(MessageType type, AbiVersion abi, int k) {
    boolean v84 = abi == AbiVersion.V84;
    long g = 0x0102_0304_0506_0708L + k;
    long a = 0x8877_6655_4433_2211L - k;
    long b = 0x1122_3344_5566_7788L * (k + 1);
    long c = -5_000_000_000L - k;
    int cpu = 7 + k;
    Payload p =
        switch (type) {
          case TASK_NEW ->
              new TaskNew(g, a, b, true, -20 + k % 40, new SwInfo(3, 65533 - k), v84 ? 0 : c);
          case TASK_PREEMPT -> new TaskPreempt(g, a, b, c, cpu, true, k % 2 == 0);
          case TASK_YIELD -> new TaskYield(g, a, b, c, cpu, k % 2 == 1);
          case TASK_BLOCKED -> new TaskBlocked(g, a, b, cpu, true);
          case TASK_DEAD -> new TaskDead(g, v84 ? 0 : cpu);
          case TASK_DEPARTED -> new TaskDeparted(g, a, cpu, true, k % 2 == 0);
          case TASK_AFFINITY_CHANGED -> new TaskAffinityChanged(g);
          case TASK_PRIORITY_CHANGED -> new TaskPriorityChanged(g, -19 + k % 30);
          case TASK_WAKEUP -> new TaskWakeup(g, a, true, cpu, -1, Integer.MAX_VALUE - k);
          case TASK_SWITCHTO -> new TaskSwitchto(g, a, b, cpu);
          case TASK_ON_CPU -> new TaskOnCpu(g, a, b, cpu);
          case TASK_LATCH_FAILURE -> new TaskLatchFailure(g, -116 - k);
          case CPU_TICK -> new CpuTick(cpu, !v84);
          case CPU_TIMER_EXPIRED -> new CpuTimerExpired(cpu, a, c);
          case CPU_NOT_IDLE -> new CpuNotIdle(cpu, -2);
          case CPU_AVAILABLE, CPU_BUSY, CPU_AGENT_BLOCKED, CPU_AGENT_WAKEUP -> new CpuEvent(cpu);
          case NOP -> null;
        };
    return new Message(type, 0x8000_0000 + 17 * k + type.number(), p);
  }
}
