package dev.ghostgym.emulation;

import dev.ghostgym.abi.AbiConstants;
import dev.ghostgym.abi.AbiVersion;
import dev.ghostgym.abi.CpuTick;
import dev.ghostgym.abi.Message;
import dev.ghostgym.abi.MessageType;
import dev.ghostgym.abi.SwInfo;
import dev.ghostgym.abi.TaskDead;
import dev.ghostgym.abi.TaskNew;
import dev.ghostgym.ghostfs.NativeException;
import dev.ghostgym.ghostfs.RingProducer;
import dev.ghostgym.live.GhostDevice.QueueMapping;
import dev.ghostgym.port.KernelPort;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * The message rings of the {@link EmulatedKernel}: one real ring per queue the machine made, filled
 * on demand with the kernel's producer rules (NOP padding at the wrap, {@link RingProducer}) when
 * an agent finds it empty, and every message the agent decodes checked equal to the one written.
 */
final class EmulatedRings {
  private static final int FD_BASE = 100;

  /** One queue: the machine's id for it and the ring the agents read. */
  private static final class Ring {
    final int simId;
    final ByteBuffer le;
    final RingProducer producer;
    final ArrayDeque<Message> written = new ArrayDeque<>();

    Ring(int simId, ByteBuffer memory, AbiVersion abi) {
      this.simId = simId;
      this.le = memory.duplicate().order(ByteOrder.LITTLE_ENDIAN);
      this.producer = new RingProducer(memory, abi);
    }
  }

  private final AbiVersion abi;
  private final int ringSlots;
  private Ring[] rings = new Ring[8];
  private long produced;
  private long wraps;

  /**
   * @param ringSlots give every ring this many slots whatever was asked (0: as asked)
   */
  EmulatedRings(AbiVersion abi, int ringSlots) {
    this.abi = abi;
    this.ringSlots = ringSlots;
  }

  /** Messages written into rings so far. */
  long produced() {
    return produced;
  }

  /** Times a message did not fit before the end of its ring and a NOP padded the tail. */
  long wraps() {
    return wraps;
  }

  /** The ring for the machine's queue {@code simId}, asked with {@code elems} slots. */
  QueueMapping create(int simId, int elems) {
    int nelems = ringSlots > 0 ? ringSlots : elems;
    ByteBuffer mem = ByteBuffer.allocateDirect(AbiConstants.queueMapSize(nelems));
    RingProducer.format(mem, nelems);
    int fd = FD_BASE + simId;
    if (fd >= rings.length) rings = Arrays.copyOf(rings, Math.max(fd + 1, rings.length * 2));
    rings[fd] = new Ring(simId, mem, abi);
    return new QueueMapping(fd, mem);
  }

  /** The machine's id of the queue behind {@code fd}; EBADF for an fd that is no queue. */
  int simId(int fd) {
    return ring(fd).simId;
  }

  private Ring ring(int fd) {
    Ring q = fd >= 0 && fd < rings.length ? rings[fd] : null;
    if (q == null)
      throw new NativeException("ioctl", "emulated enclave ctl, queue fd " + fd, 9 /* EBADF */);
    return q;
  }

  /**
   * Writes the machine's next message for queue {@code fd} into its ring; false if there is none. A
   * task message's task gets a status word if it has none, and TASK_NEW names it.
   */
  boolean pump(int fd, KernelPort cur, StatusWordMirror words) {
    Ring q = ring(fd);
    Message m = cur.poll(q.simId);
    if (m == null) return false;
    if (m.type().isTaskMessage()) {
      long gtid = m.gtid();
      int i = words.taskWord(gtid);
      if (i < 0) i = words.allocTask(gtid, cur);
      if (m.type() == MessageType.TASK_NEW) m = withSwInfo(m, i);
    }
    if (abi == AbiVersion.V84) m = without90Fields(m);
    int start = q.le.getInt(4);
    int nelems = q.le.getInt(8);
    int head = q.le.getInt(start);
    if ((head & (nelems - 1)) + m.type().slots(abi) > nelems) wraps++;
    if (!q.producer.produce(m)) {
      throw new IllegalStateException(
          "emulated queue fd " + fd + " overflowed (" + nelems + " slots)");
    }
    q.written.addLast(m);
    produced++;
    return true;
  }

  private static Message withSwInfo(Message m, int word) {
    TaskNew p = (TaskNew) m.payload();
    return new Message(
        m.type(),
        m.seqnum(),
        new TaskNew(
            p.gtid(),
            p.parentGtid(),
            p.runtime(),
            p.runnable(),
            p.nice(),
            new SwInfo(StatusWordMirror.REGION_ID, word),
            p.agentData()));
  }

  /**
   * An ABI 84 kernel has no TASK_NEW.agent_data, TASK_DEAD.cpu or CPU_TICK.is_agent: they are not
   * sent.
   */
  private static Message without90Fields(Message m) {
    if (m.payload() instanceof TaskNew p && p.agentData() != 0) {
      return new Message(
          m.type(),
          m.seqnum(),
          new TaskNew(
              p.gtid(), p.parentGtid(), p.runtime(), p.runnable(), p.nice(), p.swInfo(), 0));
    }
    if (m.payload() instanceof TaskDead p && p.cpu() != 0) {
      return new Message(m.type(), m.seqnum(), new TaskDead(p.gtid(), 0));
    }
    if (m.payload() instanceof CpuTick p && p.isAgent()) {
      return new Message(m.type(), m.seqnum(), new CpuTick(p.cpu(), false));
    }
    return m;
  }

  /** The agent decoded {@code m} from ring {@code fd}: it must be the oldest message written. */
  void delivered(int fd, Message m) {
    Message w = ring(fd).written.pollFirst();
    if (!m.equals(w)) {
      throw new IllegalStateException(
          "emulated queue fd " + fd + ": the agent decoded " + m + " but the kernel wrote " + w);
    }
  }
}
