package dev.ghostgym.ghostfs;

import java.util.List;

/**
 * A C struct's x86-64 layout: {@code sizeof}, {@code alignof} and the fields the binding reads or
 * writes, in offset order. Fields are data, not code, so tests can pin every number against
 * docs/KERNEL-MODEL.md §1.3 and {@code ghost-gym abi-layout} can print them.
 */
public record Struct(String name, int size, int align, List<Field> fields) {

  public Struct {
    fields = List.copyOf(fields);
    if (size % align != 0) {
      throw new IllegalArgumentException(
          "struct " + name + ": size " + size + " is not a multiple of align " + align);
    }
    for (Field f : fields) {
      if (f.end() > size) {
        throw new IllegalArgumentException(
            "struct "
                + name
                + ": field "
                + f.name()
                + " ends at "
                + f.end()
                + ", past size "
                + size);
      }
    }
  }

  /**
   * The field with this C name; IllegalArgumentException naming the struct and its fields if
   * absent.
   */
  public Field field(String fieldName) {
    for (Field f : fields) {
      if (f.name().equals(fieldName)) {
        return f;
      }
    }
    throw new IllegalArgumentException(
        "struct "
            + name
            + " has no field "
            + fieldName
            + "; fields: "
            + fields.stream().map(Field::name).toList());
  }

  /** Shorthand for {@code field(name).offset()}. */
  public int offset(String fieldName) {
    return field(fieldName).offset();
  }

  /** True if the struct has a field with this name (ABI 84 lacks a few payload fields). */
  public boolean has(String fieldName) {
    return fields.stream().anyMatch(f -> f.name().equals(fieldName));
  }
}
