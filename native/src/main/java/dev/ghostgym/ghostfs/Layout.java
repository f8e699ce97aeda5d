package dev.ghostgym.ghostfs;

import dev.ghostgym.abi.AbiVersion;
import dev.ghostgym.abi.MessageType;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every struct layout of one ghOSt ABI on x86-64: the shared-memory and ioctl structs by C name
 * ({@code ghost_txn}, {@code ghost_ioc_create_queue}, ...) and the payload struct of every message
 * type except NOP. Obtain one with {@link Layouts#of}.
 */
public record Layout(
    AbiVersion abi, Map<String, Struct> structs, Map<MessageType, Struct> payloads) {

  public Layout {
    structs = Collections.unmodifiableMap(new LinkedHashMap<>(structs));
    payloads = Collections.unmodifiableMap(new EnumMap<>(payloads));
  }

  /** The struct with this C name; IllegalArgumentException listing the known names if absent. */
  public Struct struct(String name) {
    Struct s = structs.get(name);
    if (s == null) {
      throw new IllegalArgumentException(
          "ABI " + abi.number() + " has no struct " + name + "; known: " + structs.keySet());
    }
    return s;
  }

  /** The payload struct of a message type; IllegalArgumentException for NOP, which has none. */
  public Struct payload(MessageType type) {
    Struct s = payloads.get(type);
    if (s == null) {
      throw new IllegalArgumentException("message type " + type + " has no payload");
    }
    return s;
  }
}
