package dev.ghostgym.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code ghost-gym abi-layout}: the numbers it prints per ABI and its answer to a bad --abi. */
class AbiLayoutCommandTest {

  @Test
  void abi91PrintsStructsPayloadsMessagesAndIoctls() {
    Cli r = Cli.run("abi-layout", "--abi", "91");
    assertEquals(0, r.code(), r.err());
    assertEquals("91", r.field("abi"));
    assertEquals(64, sizeOf(r.out(), "ghost_txn"));
    assertEquals(4096, sizeOf(r.out(), "ghost_cpu_data"));
    assertEquals(64, sizeOf(r.out(), "bpf_ghost_msg"));
    assertEquals(48, sizeOf(r.out(), "TASK_NEW"));
    assertEquals(16, sizeOf(r.out(), "TASK_DEAD"));
    assertEquals(8, sizeOf(r.out(), "CPU_TICK"));
    assertTrue(r.out().contains("\"COMMIT_TXN\": \"0x40106708\""), r.out());
    assertTrue(r.out().contains("\"CREATE_QUEUE\": \"0xC0186703\""));
    assertTrue(r.out().contains("\"TIMERFD_SETTIME\": \"0xC030670A\""));
    assertTrue(
        Pattern.compile("\"u\\.sync_group_owner\": \\{\\s*\"offset\": 48,\\s*\"size\": 4")
            .matcher(r.out())
            .find(),
        "txn field offsets are printed");
    assertTrue(
        Pattern.compile(
                "\"TASK_NEW\": \\{\\s*\"number\": 67,\\s*\"payload_size\": 48,\\s*\"length\": 56,"
                    + "\\s*\"slots\": 7")
            .matcher(r.out())
            .find(),
        "message numbers, lengths and slots are printed");
  }

  @Test
  void abi84HasTheSmallerPayloads() {
    Cli r = Cli.run("abi-layout", "--abi", "84");
    assertEquals(0, r.code(), r.err());
    assertEquals(40, sizeOf(r.out(), "TASK_NEW"));
    assertEquals(8, sizeOf(r.out(), "TASK_DEAD"));
    assertEquals(4, sizeOf(r.out(), "CPU_TICK"));
    assertEquals(56, sizeOf(r.out(), "bpf_ghost_msg"));
    assertEquals(64, sizeOf(r.out(), "ghost_txn"));
    assertTrue(r.out().contains("\"COMMIT_TXN\": \"0x40106708\""));
  }

  @Test
  void defaultIsTheLatestAbi() {
    Cli r = Cli.run("abi-layout");
    assertEquals(0, r.code(), r.err());
    assertEquals("91", r.field("abi"));
  }

  @Test
  void badAbiExitsTwoNamingTheSupportedVersions() {
    for (String bad : new String[] {"69", "ninety"}) {
      Cli r = Cli.run("abi-layout", "--abi", bad);
      assertEquals(2, r.code(), r.out());
      assertTrue(
          r.err().contains("--abi") && r.err().contains("84, 90 or 91") && r.err().contains(bad),
          r.err());
      assertEquals("", r.out());
    }
  }

  /** The "size" right after the key {@code name} opens its object. */
  private static int sizeOf(String json, String name) {
    Matcher m =
        Pattern.compile(
                "\""
                    + Pattern.quote(name)
                    + "\": \\{\\s*(?:\"struct\": \"[a-z_]+\",\\s*)?\"size\": (\\d+)")
            .matcher(json);
    assertTrue(m.find(), "no size for " + name);
    return Integer.parseInt(m.group(1));
  }
}
