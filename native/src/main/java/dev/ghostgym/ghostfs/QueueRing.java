package dev.ghostgym.ghostfs;

import dev.ghostgym.abi.AbiVersion;
import dev.ghostgym.abi.Message;
import dev.ghostgym.abi.MessageType;
import dev.ghostgym.abi.MessageView;
import java.nio.ByteBuffer;
import java.util.function.Consumer;

/**
 * The agent's (consumer's) side of a ghOSt queue, over its mapping: 64-byte header, ring indices at
 * {@code header.start} and 8-byte slots after them (byte 76). {@code head} and {@code tail} are
 * free-running u32 slot counters; a message sits at slot {@code tail & (nelems-1)} and takes {@code
 * ceil(length/8)} slots. The kernel is the only producer. Not thread-safe: one agent thread
 * consumes a queue.
 */
public final class QueueRing {

  private final ByteBuffer mem;
  private final AbiVersion abi;
  private final RingGeometry g;

  /**
   * A consumer over {@code mapping} (a direct buffer holding an initialised queue) for messages of
   * {@code abi}.
   */
  public QueueRing(ByteBuffer mapping, AbiVersion abi) {
    this.mem = mapping;
    this.abi = abi;
    this.g = RingGeometry.of(mapping);
  }

  /** Slots in the ring ({@code header.nelems}; may exceed what CREATE_QUEUE asked for). */
  public int nelems() {
    return g.nelems();
  }

  /** The producer's counter, loaded with acquire. */
  public int head() {
    return Le.i32Acquire(mem, g.head());
  }

  /** The consumer's counter, loaded with acquire. */
  public int tail() {
    return Le.i32Acquire(mem, g.tail());
  }

  /** Messages the kernel dropped because the ring was full; non-zero is fatal. */
  public int overflow() {
    return Le.i32Acquire(mem, g.overflow());
  }

  /** True when the producer has nothing new ({@code head == tail}). */
  public boolean isEmpty() {
    return head() == tail();
  }

  /**
   * The next message, skipping NOPs, or null if the queue is empty. Advances {@code tail} past the
   * message with a release store once it is decoded (the record is a copy, so the slots may be
   * reused). Throws {@link QueueOverflowException} if the kernel dropped messages, and
   * IllegalStateException naming the counters if the ring is inconsistent.
   */
  public Message poll() {
    while (true) {
      int at = next();
      if (at < 0) return null;
      Message m =
          MessageCodec.typeNumber(mem, at) == MessageType.NOP.number()
              ? null
              : MessageCodec.decode(mem, at, abi);
      consume(at);
      if (m != null) return m;
    }
  }

  // The byte offset of the next message (a NOP included), or -1 when the queue is empty; checks the
  // overflow counter and that the message lies within what the kernel published.
  private int next() {
    int overflow = overflow();
    if (overflow != 0) {
      throw new QueueOverflowException(overflow, g.nelems());
    }
    int tail = tail();
    int head = head();
    if (head == tail) {
      return -1;
    }
    int used = head - tail;
    if (Integer.compareUnsigned(used, g.nelems()) > 0) {
      throw corrupt(
          "head - tail = " + Integer.toUnsignedString(used) + " exceeds nelems", head, tail);
    }
    int at = g.slotOffset(tail);
    int length = MessageCodec.length(mem, at);
    int slots = RingGeometry.slots(length);
    if (length < MessageType.HEADER_SIZE
        || slots > used
        || (tail & g.mask()) + slots > g.nelems()) {
      throw corrupt("message at slot " + (tail & g.mask()) + " has length " + length, head, tail);
    }
    return at;
  }

  // Done with the message at `at` (decoded, or a NOP): release-store tail past it, so the kernel
  // may reuse its slots.
  private void consume(int at) {
    int slots = RingGeometry.slots(MessageCodec.length(mem, at));
    Le.put32Release(mem, g.tail(), tail() + slots);
  }

  /**
   * As {@link #poll()}, decoding the next message into {@code into} ({@code
   * MessageCodec.decodeInto}: no allocation for the task messages agents handle on every pass);
   * false if the queue is empty.
   */
  public boolean pollInto(MessageView into) {
    while (true) {
      int at = next();
      if (at < 0) return false;
      boolean nop = MessageCodec.typeNumber(mem, at) == MessageType.NOP.number();
      if (!nop) MessageCodec.decodeInto(mem, at, abi, into);
      consume(at);
      if (!nop) return true;
    }
  }

  /** Hands every pending message to {@code sink}, in order, and returns how many there were. */
  public int drain(Consumer<Message> sink) {
    int n = 0;
    for (Message m = poll(); m != null; m = poll()) {
      sink.accept(m);
      n++;
    }
    return n;
  }

  private IllegalStateException corrupt(String what, int head, int tail) {
    return new IllegalStateException(
        "corrupt ghOSt queue: "
            + what
            + " (head "
            + Integer.toUnsignedString(head)
            + ", tail "
            + Integer.toUnsignedString(tail)
            + ", nelems "
            + g.nelems()
            + ")");
  }
}
