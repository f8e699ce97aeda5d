package dev.ghostgym.sim;

import dev.ghostgym.abi.AbiConstants;
import dev.ghostgym.abi.Message;
import java.util.ArrayDeque;

/**
 * A ghOSt message queue: FIFO, bounded in 8-byte slots like the kernel's ring, with up to two
 * wakeup CPUs. The simulator keeps decoded messages; the live runner reads the real ring.
 */
final class SimQueue {
  final int id;
  final int capacitySlots;
  final ArrayDeque<Message> messages = new ArrayDeque<>();
  // Per message, in the same order: whether the kernel's part was charged where it was produced.
  final ArrayDeque<Boolean> producedOnCpu = new ArrayDeque<>();
  int usedSlots;
  int[] wakeup = new int[0];

  SimQueue(int id, int elems) {
    if (elems <= 0 || Integer.bitCount(elems) != 1 || elems > AbiConstants.GHOST_MAX_QUEUE_ELEMS) {
      throw new IllegalArgumentException(
          "queue elems: expected a power of two <= 65536, got " + elems);
    }
    this.id = id;
    this.capacitySlots = elems;
  }
}
