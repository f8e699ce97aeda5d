package dev.ghostgym.ghostfs;

import dev.ghostgym.abi.AbiConstants;
import dev.ghostgym.abi.AbiVersion;
import dev.ghostgym.abi.Message;
import dev.ghostgym.abi.MessageType;
import java.nio.ByteBuffer;

/**
 * The kernel's (producer's) side of a ghOSt queue, for tests and the emulated kernel, following the
 * kernel's rules (docs/KERNEL-MODEL.md §1.7): a message needs {@code ceil(length/8)} slots; if they
 * do not fit before the end of the ring but fit at its start, a NOP spanning the tail slots is
 * written and the message goes to slot 0, and {@code head} advances by skipped + needed; with no
 * room, {@code overflow} is incremented and the message dropped. Slots are written first, {@code
 * head} last with release. One producer per queue (the kernel holds a per-queue lock).
 */
public final class RingProducer {

  private final ByteBuffer mem;
  private final AbiVersion abi;
  private final RingGeometry g;

  public RingProducer(ByteBuffer mapping, AbiVersion abi) {
    this.mem = mapping;
    this.abi = abi;
    this.g = RingGeometry.of(mapping);
  }

  /**
   * Initialises an empty queue of {@code nelems} slots in {@code mapping}, as CREATE_QUEUE does.
   */
  public static void format(ByteBuffer mapping, int nelems) {
    format(mapping, nelems, 0);
  }

  /**
   * Initialises an empty queue whose head and tail both start at {@code counter} (an unsigned u32),
   * so tests can run the free-running counters across 2^32.
   */
  public static void format(ByteBuffer mapping, int nelems, int counter) {
    Le.zero(mapping, 0, AbiConstants.RING_MSGS_OFFSET);
    Le.put32(mapping, RingGeometry.HEADER_VERSION, AbiConstants.GHOST_QUEUE_VERSION);
    Le.put32(mapping, RingGeometry.HEADER_START, AbiConstants.QUEUE_HEADER_SIZE);
    Le.put32(mapping, RingGeometry.HEADER_NELEMS, nelems);
    RingGeometry g = RingGeometry.of(mapping);
    Le.put32(mapping, g.tail(), counter);
    Le.put32Release(mapping, g.head(), counter);
  }

  /** Slots in the ring. */
  public int nelems() {
    return g.nelems();
  }

  /** Messages dropped so far. */
  public int overflow() {
    return Le.i32Acquire(mem, g.overflow());
  }

  /**
   * Appends {@code m} (its {@code seqnum} is the barrier the kernel stamps) and returns true, or
   * counts an overflow and returns false if the ring has no room for it.
   */
  public boolean produce(Message m) {
    int needed = m.type().slots(abi);
    int head = Le.i32(mem, g.head());
    int skipped = skipped(head, needed);
    if (skipped < 0) {
      Le.put32Release(mem, g.overflow(), Le.i32(mem, g.overflow()) + 1);
      return false;
    }
    if (skipped > 0) {
      MessageCodec.encodeNop(mem, g.slotOffset(head), skipped * RingGeometry.SLOT, 0);
    }
    MessageCodec.encode(m, abi, mem, g.slotOffset(head + skipped));
    Le.put32Release(mem, g.head(), head + skipped + needed);
    return true;
  }

  /**
   * True if a message of {@code type} would be written now rather than dropped (no side effect).
   */
  public boolean fits(MessageType type) {
    return skipped(Le.i32(mem, g.head()), type.slots(abi)) >= 0;
  }

  // Slots of NOP padding needed before a message of `needed` slots at `head`, or -1 if there is no
  // room.
  private int skipped(int head, int needed) {
    int free = g.nelems() - (head - Le.i32Acquire(mem, g.tail()));
    int index = head & g.mask();
    int skipped = index + needed > g.nelems() ? g.nelems() - index : 0;
    return skipped + needed > free ? -1 : skipped;
  }
}
