package dev.ghostgym.app;

import dev.ghostgym.abi.AbiVersion;
import dev.ghostgym.abi.Ioctl;
import dev.ghostgym.abi.MessageType;
import dev.ghostgym.ghostfs.Field;
import dev.ghostgym.ghostfs.Layout;
import dev.ghostgym.ghostfs.Layouts;
import dev.ghostgym.ghostfs.Struct;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ghost-gym abi-layout}: the x86-64 layout of one ghOSt ABI as JSON: every struct's size,
 * alignment and field offsets and sizes, every message's number, payload size, length and slots,
 * and the ioctl request codes. For checking the binding against a C probe on a real ghOSt machine.
 */
@Command(
    name = "abi-layout",
    mixinStandardHelpOptions = true,
    description = "Print the struct layouts, message sizes and ioctl codes of a ghOSt ABI as JSON.")
final class AbiLayoutCommand implements Runnable {
  @Option(
      names = "--abi",
      paramLabel = "84|90|91",
      defaultValue = "91",
      description = "ghOSt ABI version (default: ${DEFAULT-VALUE})")
  String abi;

  @Override
  public void run() {
    System.out.print(Json.write(describe(parse(abi))));
  }

  static AbiVersion parse(String text) {
    try {
      return AbiVersion.of(Integer.parseInt(text.strip()));
    } catch (IllegalArgumentException e) {
      throw new InputError("--abi: expected 84, 90 or 91, got \"" + text + "\"");
    }
  }

  static Map<String, Object> describe(AbiVersion abi) {
    Layout layout = Layouts.of(abi);
    Map<String, Object> structs = new LinkedHashMap<>();
    for (Struct s : layout.structs().values()) {
      structs.put(s.name(), struct(s));
    }
    Map<String, Object> payloads = new LinkedHashMap<>();
    for (Map.Entry<MessageType, Struct> e : layout.payloads().entrySet()) {
      Map<String, Object> p = new LinkedHashMap<>();
      p.put("struct", e.getValue().name());
      p.putAll(struct(e.getValue()));
      payloads.put(e.getKey().name(), p);
    }
    Map<String, Object> messages = new LinkedHashMap<>();
    for (MessageType t : MessageType.values()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("number", t.number());
      m.put("payload_size", t.payloadSize(abi));
      if (t != MessageType.NOP) {
        m.put("length", t.length(abi));
        m.put("slots", t.slots(abi));
      }
      messages.put(t.name(), m);
    }
    Map<String, Object> ioctls = new LinkedHashMap<>();
    for (Ioctl i : Ioctl.values()) {
      ioctls.put(i.name(), String.format("0x%08X", i.request()));
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("abi", abi.number());
    out.put("structs", structs);
    out.put("payloads", payloads);
    out.put("messages", messages);
    out.put("ioctls", ioctls);
    return out;
  }

  private static Map<String, Object> struct(Struct s) {
    Map<String, Object> fields = new LinkedHashMap<>();
    for (Field f : s.fields()) {
      Map<String, Object> one = new LinkedHashMap<>();
      one.put("offset", f.offset());
      one.put("size", f.size());
      fields.put(f.name(), one);
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("size", s.size());
    m.put("align", s.align());
    m.put("fields", fields);
    return m;
  }
}
