package dev.ghostgym.abi;

/**
 * One decoded ghOSt message: its type, its {@code seqnum} (the task barrier for task messages, the
 * agent barrier for CPU messages; a C u32 kept as a Java int, so compare with wrap-around in mind)
 * and its payload. The constructor guarantees the payload record matches the type, so consumers can
 * cast by type without checking; a NOP has a null payload.
 */
public record Message(MessageType type, int seqnum, Payload payload) {

  public Message {
    if (type == null) {
      throw new IllegalArgumentException(
          "message type is null (payload " + className(payload) + ")");
    }
    // One field read and a class compare: this runs for every simulated message. Payload records
    // are final, so class identity is the exact check.
    Class<? extends Payload> expected = type.payloadClass();
    if (payload == null ? expected != null : payload.getClass() != expected) {
      throw new IllegalArgumentException(
          "message type "
              + type
              + " needs payload "
              + (expected == null ? "null" : expected.getSimpleName())
              + ", got "
              + className(payload));
    }
  }

  /** The task's gtid; only for task messages, else IllegalStateException. */
  public long gtid() {
    if (payload instanceof TaskPayload task) {
      return task.gtid();
    }
    throw new IllegalStateException(
        "message type " + type + " is not a task message and has no gtid");
  }

  /** The CPU; only for CPU messages, else IllegalStateException. */
  public int cpu() {
    if (payload instanceof CpuPayload cpu) {
      return cpu.cpu();
    }
    throw new IllegalStateException(
        "message type " + type + " is not a CPU message and has no cpu");
  }

  private static String className(Payload payload) {
    return payload == null ? "null" : payload.getClass().getSimpleName();
  }
}
