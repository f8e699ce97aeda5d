package dev.ghostgym.ghostfs;

import dev.ghostgym.abi.AbiConstants;
import java.nio.ByteBuffer;

/**
 * Where the parts of a queue mapping are: the 64-byte {@code ghost_queue_header}, then at {@code
 * header.start} the {@code ghost_ring} indices (head, tail, overflow) and its 8-byte slots. Read
 * from the header and checked against the mapping's size, so a bad mapping fails at once.
 */
record RingGeometry(int head, int tail, int overflow, int msgs, int nelems) {

  static final int HEADER_VERSION = 0;
  static final int HEADER_START = 4;
  static final int HEADER_NELEMS = 8;
  static final int SLOT = 8;

  static RingGeometry of(ByteBuffer mapping) {
    if (!mapping.isDirect()) {
      throw new IllegalArgumentException(
          "a queue ring needs a direct ByteBuffer (an mmapped queue or"
              + " ByteBuffer.allocateDirect) for acquire/release access");
    }
    int version = Le.i32(mapping, HEADER_VERSION);
    int start = Le.i32(mapping, HEADER_START);
    int nelems = Le.i32(mapping, HEADER_NELEMS);
    if (version != AbiConstants.GHOST_QUEUE_VERSION) {
      throw new IllegalArgumentException(
          "queue header version is " + version + "; expected " + AbiConstants.GHOST_QUEUE_VERSION);
    }
    if (nelems <= 0
        || nelems > AbiConstants.GHOST_MAX_QUEUE_ELEMS
        || Integer.bitCount(nelems) != 1) {
      throw new IllegalArgumentException(
          "queue header nelems is "
              + nelems
              + "; expected a power of two"
              + " in 1.."
              + AbiConstants.GHOST_MAX_QUEUE_ELEMS);
    }
    if (start < AbiConstants.QUEUE_HEADER_SIZE || start % 4 != 0) {
      throw new IllegalArgumentException(
          "queue header start is "
              + start
              + "; expected a multiple of 4"
              + " that is at least "
              + AbiConstants.QUEUE_HEADER_SIZE);
    }
    long end = (long) start + 12 + (long) nelems * SLOT;
    if (end > mapping.capacity()) {
      throw new IllegalArgumentException(
          "queue of "
              + nelems
              + " slots at start "
              + start
              + " needs "
              + end
              + " bytes but the mapping has "
              + mapping.capacity());
    }
    return new RingGeometry(start, start + 4, start + 8, start + 12, nelems);
  }

  int mask() {
    return nelems - 1;
  }

  /** Byte offset of the slot a free-running counter points at. */
  int slotOffset(int counter) {
    return msgs + (counter & mask()) * SLOT;
  }

  static int slots(int length) {
    return (length + SLOT - 1) / SLOT;
  }
}
