package dev.ghostgym.ghostfs;

import static dev.ghostgym.ghostfs.Le.i32;
import static dev.ghostgym.ghostfs.Le.i64;
import static dev.ghostgym.ghostfs.Le.put16;
import static dev.ghostgym.ghostfs.Le.put32;
import static dev.ghostgym.ghostfs.Le.put64;
import static dev.ghostgym.ghostfs.Le.put8;
import static dev.ghostgym.ghostfs.Le.u16;
import static dev.ghostgym.ghostfs.Le.u8;

import dev.ghostgym.abi.AbiVersion;
import dev.ghostgym.abi.CpuEvent;
import dev.ghostgym.abi.CpuNotIdle;
import dev.ghostgym.abi.CpuTick;
import dev.ghostgym.abi.CpuTimerExpired;
import dev.ghostgym.abi.Message;
import dev.ghostgym.abi.MessageType;
import dev.ghostgym.abi.MessageView;
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
import java.nio.ByteBuffer;

/**
 * Reads and writes one {@code struct ghost_msg} (8-byte header, then the payload) at a byte offset
 * of a ByteBuffer, little-endian, as the kernel lays it out in a queue ring. Ring slots are only
 * 4-byte aligned, so 8-byte fields are read and written unaligned. Offsets are those of {@link
 * Layouts} (a test checks every field against it). Encoding exists for the emulated kernel: it
 * writes exactly {@code length = 8 + sizeof(payload)} bytes, padding zeroed, as the kernel copies
 * the whole struct.
 */
public final class MessageCodec {

  private static final int HEADER = MessageType.HEADER_SIZE;

  private MessageCodec() {}

  /** {@code ghost_msg.type} at {@code offset} (unchecked). */
  public static int typeNumber(ByteBuffer buf, int offset) {
    return u16(buf, offset);
  }

  /**
   * {@code ghost_msg.length} at {@code offset}: header plus payload bytes, or the span of a NOP.
   */
  public static int length(ByteBuffer buf, int offset) {
    return u16(buf, offset + 2);
  }

  /**
   * Decodes the message at {@code offset} under {@code abi}. Throws IllegalArgumentException naming
   * the offset if the type number is unknown or the length is not what {@code abi} gives that type
   * (a sign of reading with the wrong ABI or a corrupt ring). A NOP decodes with a null payload.
   */
  public static Message decode(ByteBuffer buf, int offset, AbiVersion abi) {
    MessageType type = checkedType(buf, offset, abi);
    int seqnum = i32(buf, offset + 4);
    if (type == MessageType.NOP) return new Message(type, seqnum, null);
    return new Message(type, seqnum, decodePayload(type, buf, offset + HEADER, abi));
  }

  /**
   * Decodes the message at {@code offset} into {@code into} without allocating, for every message
   * type: the fields {@link MessageView} keeps (for the task messages without a field of their own
   * in the view, the gtid; for the CPU messages, the CPU), as {@link MessageView#set} takes them
   * from the record {@link #decode} would build. Same checks and errors as {@link #decode}; a NOP
   * is an IllegalArgumentException (the ring skips NOPs).
   */
  public static MessageView decodeInto(ByteBuffer b, int offset, AbiVersion abi, MessageView into) {
    MessageType type = checkedType(b, offset, abi);
    int p = offset + HEADER;
    boolean v84 = abi == AbiVersion.V84;
    into.reset(type, i32(b, offset + 4));
    return switch (type) {
      case TASK_NEW ->
          into.task(i64(b, p), i64(b, p + 16), 0, false)
              .taskNew(u16(b, p + 24) != 0, i32(b, p + 28), i32(b, p + 32), i32(b, p + 36));
      case TASK_WAKEUP -> into.task(i64(b, p), 0, 0, false).deferrable(u8(b, p + 16) != 0);
      case TASK_YIELD, TASK_PREEMPT ->
          into.task(i64(b, p), i64(b, p + 8), i32(b, p + 32), u8(b, p + 36) != 0);
      case TASK_BLOCKED -> into.task(i64(b, p), i64(b, p + 8), i32(b, p + 24), u8(b, p + 28) != 0);
      case TASK_DEPARTED -> into.task(i64(b, p), 0, i32(b, p + 16), u8(b, p + 20) != 0);
      case TASK_DEAD -> into.task(i64(b, p), 0, v84 ? 0 : i32(b, p + 8), false);
      case TASK_SWITCHTO,
          TASK_AFFINITY_CHANGED,
          TASK_PRIORITY_CHANGED,
          TASK_ON_CPU,
          TASK_LATCH_FAILURE ->
          into.task(i64(b, p), 0, 0, false);
      // Every CPU message starts with its CPU (ghost_msg_payload_cpu_tick, _timer,
      // _cpu_not_idle, _cpu_avail...): the only field the view keeps; gtid stays 0.
      case CPU_TICK,
          CPU_TIMER_EXPIRED,
          CPU_NOT_IDLE,
          CPU_AVAILABLE,
          CPU_BUSY,
          CPU_AGENT_BLOCKED,
          CPU_AGENT_WAKEUP ->
          into.task(0, 0, i32(b, p), false);
      case NOP -> throw new IllegalArgumentException("NOP at byte " + offset + " has no message");
    };
  }

  // The type of the message at offset, checked: a known number and, but for a NOP, the length
  // abi gives that type (a NOP: a multiple of 8, at least the header).
  private static MessageType checkedType(ByteBuffer buf, int offset, AbiVersion abi) {
    int number = u16(buf, offset);
    int length = u16(buf, offset + 2);
    int seqnum = i32(buf, offset + 4);
    MessageType type;
    try {
      type = MessageType.of(number);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          e.getMessage()
              + " (message at byte "
              + offset
              + ", length "
              + length
              + ", seqnum "
              + Integer.toUnsignedString(seqnum)
              + ", ABI "
              + abi.number()
              + ")",
          e);
    }
    if (type == MessageType.NOP) {
      if (length < HEADER || length % 8 != 0) {
        throw new IllegalArgumentException(
            "NOP at byte "
                + offset
                + " has length "
                + length
                + "; expected a multiple of 8 that is at least 8");
      }
      return type;
    }
    if (length != type.length(abi)) {
      throw new IllegalArgumentException(
          type
              + " at byte "
              + offset
              + " has length "
              + length
              + "; ABI "
              + abi.number()
              + " gives it length "
              + type.length(abi)
              + " (wrong ABI or corrupt queue?)");
    }
    return type;
  }

  private static Payload decodePayload(MessageType type, ByteBuffer b, int p, AbiVersion abi) {
    boolean v84 = abi == AbiVersion.V84;
    return switch (type) {
      case TASK_NEW ->
          new TaskNew(
              i64(b, p),
              i64(b, p + 8),
              i64(b, p + 16),
              u16(b, p + 24) != 0,
              i32(b, p + 28),
              new SwInfo(i32(b, p + 32), i32(b, p + 36)),
              v84 ? 0 : i64(b, p + 40));
      case TASK_PREEMPT ->
          new TaskPreempt(
              i64(b, p),
              i64(b, p + 8),
              i64(b, p + 16),
              i64(b, p + 24),
              i32(b, p + 32),
              u8(b, p + 36) != 0,
              u8(b, p + 37) != 0);
      case TASK_YIELD ->
          new TaskYield(
              i64(b, p),
              i64(b, p + 8),
              i64(b, p + 16),
              i64(b, p + 24),
              i32(b, p + 32),
              u8(b, p + 36) != 0);
      case TASK_BLOCKED ->
          new TaskBlocked(
              i64(b, p), i64(b, p + 8), i64(b, p + 16), i32(b, p + 24), u8(b, p + 28) != 0);
      case TASK_DEAD -> new TaskDead(i64(b, p), v84 ? 0 : i32(b, p + 8));
      case TASK_DEPARTED ->
          new TaskDeparted(
              i64(b, p), i64(b, p + 8), i32(b, p + 16), u8(b, p + 20) != 0, u8(b, p + 21) != 0);
      case TASK_AFFINITY_CHANGED -> new TaskAffinityChanged(i64(b, p));
      case TASK_PRIORITY_CHANGED -> new TaskPriorityChanged(i64(b, p), i32(b, p + 8));
      case TASK_WAKEUP ->
          new TaskWakeup(
              i64(b, p),
              i64(b, p + 8),
              u8(b, p + 16) != 0,
              i32(b, p + 20),
              i32(b, p + 24),
              i32(b, p + 28));
      case TASK_SWITCHTO ->
          new TaskSwitchto(i64(b, p), i64(b, p + 8), i64(b, p + 16), i32(b, p + 24));
      case TASK_ON_CPU -> new TaskOnCpu(i64(b, p), i64(b, p + 8), i64(b, p + 16), i32(b, p + 24));
      case TASK_LATCH_FAILURE -> new TaskLatchFailure(i64(b, p), i32(b, p + 8));
      case CPU_TICK -> new CpuTick(i32(b, p), !v84 && i32(b, p + 4) != 0);
      case CPU_TIMER_EXPIRED -> new CpuTimerExpired(i32(b, p), i64(b, p + 8), i64(b, p + 16));
      case CPU_NOT_IDLE -> new CpuNotIdle(i32(b, p), i64(b, p + 8));
      case CPU_AVAILABLE, CPU_BUSY, CPU_AGENT_BLOCKED, CPU_AGENT_WAKEUP -> new CpuEvent(i32(b, p));
      case NOP -> throw new AssertionError("NOP has no payload");
    };
  }

  /**
   * Writes {@code m} at {@code offset} under {@code abi} and returns its length (8 + payload size).
   * Throws IllegalArgumentException for a NOP (use {@link #encodeNop}) or for a payload value that
   * {@code abi} cannot carry (a non-zero {@code agentData}, {@code TaskDead.cpu} or true {@code
   * isAgent} under ABI 84), rather than silently dropping it.
   */
  public static int encode(Message m, AbiVersion abi, ByteBuffer buf, int offset) {
    MessageType type = m.type();
    if (type == MessageType.NOP) {
      throw new IllegalArgumentException("a NOP's length is the span it skips: use encodeNop");
    }
    int length = type.length(abi);
    put16(buf, offset, type.number());
    put16(buf, offset + 2, length);
    put32(buf, offset + 4, m.seqnum());
    Le.zero(buf, offset + HEADER, length - HEADER);
    encodePayload(m.payload(), abi, buf, offset + HEADER);
    return length;
  }

  /** Writes a NOP of {@code length} bytes (a multiple of 8, at least 8) at {@code offset}. */
  public static void encodeNop(ByteBuffer buf, int offset, int length, int seqnum) {
    if (length < HEADER || length % 8 != 0 || length > 0xffff) {
      throw new IllegalArgumentException(
          "NOP length must be a multiple of 8 in 8..65528, got " + length);
    }
    put16(buf, offset, MessageType.NOP.number());
    put16(buf, offset + 2, length);
    put32(buf, offset + 4, seqnum);
  }

  private static void encodePayload(Payload payload, AbiVersion abi, ByteBuffer b, int p) {
    boolean v84 = abi == AbiVersion.V84;
    if (payload instanceof TaskNew t) {
      encodeTaskNew(t, v84, b, p);
    } else if (payload instanceof TaskPreempt t) {
      putTaskRun(b, p, t.gtid(), t.runtime(), t.cpuSeqnum());
      put64(b, p + 24, t.agentData());
      put32(b, p + 32, t.cpu());
      put8(b, p + 36, t.fromSwitchto() ? 1 : 0);
      put8(b, p + 37, t.wasLatched() ? 1 : 0);
    } else if (payload instanceof TaskYield t) {
      putTaskRun(b, p, t.gtid(), t.runtime(), t.cpuSeqnum());
      put64(b, p + 24, t.agentData());
      put32(b, p + 32, t.cpu());
      put8(b, p + 36, t.fromSwitchto() ? 1 : 0);
    } else if (payload instanceof TaskBlocked t) {
      putTaskRun(b, p, t.gtid(), t.runtime(), t.cpuSeqnum());
      put32(b, p + 24, t.cpu());
      put8(b, p + 28, t.fromSwitchto() ? 1 : 0);
    } else if (payload instanceof TaskDead t) {
      put64(b, p, t.gtid());
      if (v84) {
        requireAbsent84(t.cpu() == 0, "TASK_DEAD.cpu", t.cpu());
      } else {
        put32(b, p + 8, t.cpu());
      }
    } else if (payload instanceof TaskDeparted t) {
      put64(b, p, t.gtid());
      put64(b, p + 8, t.cpuSeqnum());
      put32(b, p + 16, t.cpu());
      put8(b, p + 20, t.fromSwitchto() ? 1 : 0);
      put8(b, p + 21, t.wasCurrent() ? 1 : 0);
    } else if (payload instanceof TaskAffinityChanged t) {
      put64(b, p, t.gtid());
    } else if (payload instanceof TaskPriorityChanged t) {
      put64(b, p, t.gtid());
      put32(b, p + 8, t.nice());
    } else if (payload instanceof TaskWakeup t) {
      put64(b, p, t.gtid());
      put64(b, p + 8, t.agentData());
      put8(b, p + 16, t.deferrable() ? 1 : 0);
      put32(b, p + 20, t.lastRanCpu());
      put32(b, p + 24, t.wakeUpCpu());
      put32(b, p + 28, t.wakerCpu());
    } else if (payload instanceof TaskSwitchto t) {
      putTaskRun(b, p, t.gtid(), t.runtime(), t.cpuSeqnum());
      put32(b, p + 24, t.cpu());
    } else if (payload instanceof TaskOnCpu t) {
      putTaskRun(b, p, t.gtid(), t.commitTime(), t.cpuSeqnum());
      put32(b, p + 24, t.cpu());
    } else if (payload instanceof TaskLatchFailure t) {
      put64(b, p, t.gtid());
      put32(b, p + 8, t.error());
    } else if (payload instanceof CpuTick c) {
      put32(b, p, c.cpu());
      if (v84) {
        requireAbsent84(!c.isAgent(), "CPU_TICK.isAgent", c.isAgent());
      } else {
        put32(b, p + 4, c.isAgent() ? 1 : 0);
      }
    } else if (payload instanceof CpuTimerExpired c) {
      put32(b, p, c.cpu());
      put64(b, p + 8, c.type());
      put64(b, p + 16, c.cookie());
    } else if (payload instanceof CpuNotIdle c) {
      put32(b, p, c.cpu());
      put64(b, p + 8, c.nextGtid());
    } else if (payload instanceof CpuEvent c) {
      put32(b, p, c.cpu());
    } else {
      throw new IllegalArgumentException("no encoder for payload " + payload);
    }
  }

  private static void encodeTaskNew(TaskNew t, boolean v84, ByteBuffer b, int p) {
    put64(b, p, t.gtid());
    put64(b, p + 8, t.parentGtid());
    put64(b, p + 16, t.runtime());
    put16(b, p + 24, t.runnable() ? 1 : 0);
    put32(b, p + 28, t.nice());
    SwInfo sw = t.swInfo() == null ? new SwInfo(0, 0) : t.swInfo();
    put32(b, p + 32, sw.id());
    put32(b, p + 36, sw.index());
    if (v84) {
      requireAbsent84(t.agentData() == 0, "TASK_NEW.agentData", t.agentData());
    } else {
      put64(b, p + 40, t.agentData());
    }
  }

  // gtid, then a u64 at 8 (runtime or commit_time) and cpu_seqnum at 16: the common head of five
  // payloads.
  private static void putTaskRun(ByteBuffer b, int p, long gtid, long second, long cpuSeqnum) {
    put64(b, p, gtid);
    put64(b, p + 8, second);
    put64(b, p + 16, cpuSeqnum);
  }

  private static void requireAbsent84(boolean absent, String field, Object value) {
    if (!absent) {
      throw new IllegalArgumentException(
          field + " is " + value + " but ABI 84 has no such field" + " (it exists from ABI 90 on)");
    }
  }
}
