package dev.ghostgym.ghostfs;

/**
 * One field of a C struct as the compiler lays it out: its C name (nested members as {@code
 * outer.inner}), byte offset from the start of the struct and size in bytes. A flexible array
 * member such as {@code ghost_ring.msgs} has size 0.
 */
public record Field(String name, int offset, int size) {

  public Field {
    if (offset < 0 || size < 0) {
      throw new IllegalArgumentException(
          "field " + name + ": offset and size must be >= 0, got " + offset + ":" + size);
    }
  }

  /** The first byte after the field. */
  public int end() {
    return offset + size;
  }
}
