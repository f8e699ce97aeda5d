package dev.ghostgym.abi;

/**
 * Every ghOSt message type ({@code MSG_*}) with its wire number and payload size per ABI. Sizes are
 * the C {@code sizeof} of the payload struct including trailing padding, because the kernel copies
 * exactly that and sets {@code length = 8 + sizeof(payload)}; a ring slot is 8 bytes. Task messages
 * (64..127) carry a gtid first, CPU messages (128..191) an {@code int cpu} first.
 */
public enum MessageType {
  // Payload sizes: ABI 90/91 first, then ABI 84 (they differ only for TASK_NEW, TASK_DEAD,
  // CPU_TICK).
  NOP(0, 0, 0, null),
  TASK_DEAD(64, 16, 8, TaskDead.class),
  TASK_BLOCKED(65, 32, 32, TaskBlocked.class),
  TASK_WAKEUP(66, 32, 32, TaskWakeup.class),
  TASK_NEW(67, 48, 40, TaskNew.class),
  TASK_PREEMPT(68, 40, 40, TaskPreempt.class),
  TASK_YIELD(69, 40, 40, TaskYield.class),
  TASK_DEPARTED(70, 24, 24, TaskDeparted.class),
  TASK_SWITCHTO(71, 32, 32, TaskSwitchto.class),
  TASK_AFFINITY_CHANGED(72, 8, 8, TaskAffinityChanged.class),
  TASK_ON_CPU(73, 32, 32, TaskOnCpu.class),
  TASK_PRIORITY_CHANGED(74, 16, 16, TaskPriorityChanged.class),
  TASK_LATCH_FAILURE(75, 16, 16, TaskLatchFailure.class),
  CPU_TICK(128, 8, 4, CpuTick.class),
  CPU_TIMER_EXPIRED(129, 24, 24, CpuTimerExpired.class),
  CPU_NOT_IDLE(130, 16, 16, CpuNotIdle.class),
  CPU_AVAILABLE(131, 4, 4, CpuEvent.class),
  CPU_BUSY(132, 4, 4, CpuEvent.class),
  CPU_AGENT_BLOCKED(133, 4, 4, CpuEvent.class),
  CPU_AGENT_WAKEUP(134, 4, 4, CpuEvent.class);

  /** Size of the message header ({@code struct ghost_msg}) and of one ring slot. */
  public static final int HEADER_SIZE = 8;

  private static final int SLOT_SIZE = 8;
  // Dense lookup by number: of() runs once per decoded message, so no map and no search.
  private static final MessageType[] BY_NUMBER = new MessageType[CPU_AGENT_WAKEUP.number + 1];

  static {
    for (MessageType t : values()) {
      BY_NUMBER[t.number] = t;
    }
  }

  private final int number;
  private final int payloadSize;
  private final int payloadSize84;
  private final Class<? extends Payload> payloadClass;

  MessageType(
      int number, int payloadSize, int payloadSize84, Class<? extends Payload> payloadClass) {
    this.number = number;
    this.payloadSize = payloadSize;
    this.payloadSize84 = payloadSize84;
    this.payloadClass = payloadClass;
  }

  /** The {@code ghost_msg.type} value. */
  public int number() {
    return number;
  }

  /** True for 64..127, whose payload starts with the task's gtid. */
  public boolean isTaskMessage() {
    return number >= 64 && number <= 127;
  }

  /** True for 128..191, whose payload starts with {@code int cpu}. */
  public boolean isCpuMessage() {
    return number >= 128 && number <= 191;
  }

  /** C {@code sizeof} of the payload under {@code abi}, trailing padding included; 0 for NOP. */
  public int payloadSize(AbiVersion abi) {
    return abi == AbiVersion.V84 ? payloadSize84 : payloadSize;
  }

  /**
   * {@code ghost_msg.length}: header plus payload. A NOP on the ring may be longer (it spans
   * skipped slots).
   */
  public int length(AbiVersion abi) {
    return HEADER_SIZE + payloadSize(abi);
  }

  /** Ring slots the message occupies: {@code ceil(length / 8)}. */
  public int slots(AbiVersion abi) {
    return (length(abi) + SLOT_SIZE - 1) / SLOT_SIZE;
  }

  /** The payload record class a {@link Message} of this type must carry; null for NOP. */
  public Class<? extends Payload> payloadClass() {
    return payloadClass;
  }

  /** The type with this wire number; throws IllegalArgumentException naming an unknown number. */
  public static MessageType of(int number) {
    MessageType t = number >= 0 && number < BY_NUMBER.length ? BY_NUMBER[number] : null;
    if (t == null) {
      throw new IllegalArgumentException(
          "unknown ghOSt message type " + number + "; expected 0, 64..75 or 128..134");
    }
    return t;
  }
}
