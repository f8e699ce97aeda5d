package dev.ghostgym.ghostfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ghostgym.abi.AbiConstants;
import dev.ghostgym.abi.AbiVersion;
import dev.ghostgym.abi.MessageType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Pins every size, alignment and offset of docs/KERNEL-MODEL.md §1.3 (the probe output) for ABI 91,
 * 90 and 84. The tables below are the doc's, one struct per line: {@code name size align |
 * field(offset:size) ...}.
 */
class LayoutsTest {

  private static final String STRUCTS =
      """
            ghost_msg 8 4 | type(0:2) length(2:2) seqnum(4:4) payload(8:0)
            ghost_queue_header 64 64 | version(0:4) start(4:4) nelems(8:4)
            ghost_ring 12 4 | head(0:4) tail(4:4) overflow(8:4) msgs(12:0)
            ghost_status_word 32 32 | barrier(0:4) flags(4:4) gtid(8:8) switch_time(16:8) runtime(24:8)
            ghost_sw_region_header 64 64 | version(0:4) id(4:4) numa_node(8:4) start(12:4) capacity(16:4) available(20:4)
            ghost_txn 64 64 | version(0:4) cpu(4:4) state(8:4) agent_barrier(12:4) task_barrier(16:4) run_flags(20:2) commit_flags(22:1) unused(23:1) gtid(24:8) commit_time(32:8) cpu_seqnum(40:8) u.sync_group_owner(48:4)
            ghost_cpu_data 4096 4096 | txn(0:64)
            ghost_agent_wakeup 8 4 | cpu(0:4) prio(4:4)
            ghost_msg_src 16 8 | type(0:4) arg(8:8)
            timerfd_ghost 24 8 | cpu(0:4) flags(4:4) type(8:8) cookie(16:8)
            ghost_sw_info 8 4 | id(0:4) index(4:4)
            ghost_ioc_sw_get_info 24 8 | request(0:16) request.type(0:4) request.arg(8:8) response(16:8) response.id(16:4) response.index(20:4)
            ghost_ioc_create_queue 24 8 | elems(0:4) node(4:4) flags(8:4) mapsize(16:8)
            ghost_ioc_assoc_queue 32 8 | fd(0:4) src(8:16) src.type(8:4) src.arg(16:8) barrier(24:4) flags(28:4)
            ghost_ioc_set_default_queue 4 4 | fd(0:4)
            ghost_ioc_config_queue_wakeup 24 8 | qfd(0:4) w(8:8) ninfo(16:4) flags(20:4)
            ghost_ioc_get_cpu_time 16 8 | gtid(0:8) runtime(8:8)
            ghost_ioc_commit_txn 16 8 | mask_ptr(0:8) mask_len(8:4) flags(12:4)
            ghost_ioc_timerfd_settime 48 8 | timerfd(0:4) flags(4:4) in_tmr(8:8) out_tmr(16:8) timerfd_ghost(24:24) timerfd_ghost.cpu(24:4) timerfd_ghost.flags(28:4) timerfd_ghost.type(32:8) timerfd_ghost.cookie(40:8)
            ghost_ioc_run 24 8 | gtid(0:8) agent_barrier(8:4) task_barrier(12:4) run_cpu(16:4) run_flags(20:4)
            """;

  private static final String BPF_91 =
      "bpf_ghost_msg 64 8 | payload(0:48) type(48:2) seqnum(52:4) pref_cpu(56:4)";
  // ABI 84: the union shrinks to the largest 84 payload (40), the trailing fields move up by 8.
  private static final String BPF_84 =
      "bpf_ghost_msg 56 8 | payload(0:40) type(40:2) seqnum(44:4) pref_cpu(48:4)";

  private static final String PAYLOADS_91 =
      """
            TASK_NEW ghost_msg_payload_task_new 48 8 | gtid(0:8) parent_gtid(8:8) runtime(16:8) runnable(24:2) nice(28:4) sw_info(32:8) agent_data(40:8)
            TASK_PREEMPT ghost_msg_payload_task_preempt 40 8 | gtid(0:8) runtime(8:8) cpu_seqnum(16:8) agent_data(24:8) cpu(32:4) from_switchto(36:1) was_latched(37:1)
            TASK_YIELD ghost_msg_payload_task_yield 40 8 | gtid(0:8) runtime(8:8) cpu_seqnum(16:8) agent_data(24:8) cpu(32:4) from_switchto(36:1)
            TASK_BLOCKED ghost_msg_payload_task_blocked 32 8 | gtid(0:8) runtime(8:8) cpu_seqnum(16:8) cpu(24:4) from_switchto(28:1)
            TASK_DEAD ghost_msg_payload_task_dead 16 8 | gtid(0:8) cpu(8:4)
            TASK_DEPARTED ghost_msg_payload_task_departed 24 8 | gtid(0:8) cpu_seqnum(8:8) cpu(16:4) from_switchto(20:1) was_current(21:1)
            TASK_AFFINITY_CHANGED ghost_msg_payload_task_affinity_changed 8 8 | gtid(0:8)
            TASK_PRIORITY_CHANGED ghost_msg_payload_task_priority_changed 16 8 | gtid(0:8) nice(8:4)
            TASK_WAKEUP ghost_msg_payload_task_wakeup 32 8 | gtid(0:8) agent_data(8:8) deferrable(16:1) last_ran_cpu(20:4) wake_up_cpu(24:4) waker_cpu(28:4)
            TASK_SWITCHTO ghost_msg_payload_task_switchto 32 8 | gtid(0:8) runtime(8:8) cpu_seqnum(16:8) cpu(24:4)
            TASK_ON_CPU ghost_msg_payload_task_on_cpu 32 8 | gtid(0:8) commit_time(8:8) cpu_seqnum(16:8) cpu(24:4)
            TASK_LATCH_FAILURE ghost_msg_payload_task_latch_failure 16 8 | gtid(0:8) errno(8:4)
            CPU_NOT_IDLE ghost_msg_payload_cpu_not_idle 16 8 | cpu(0:4) next_gtid(8:8)
            CPU_TICK ghost_msg_payload_cpu_tick 8 4 | cpu(0:4) is_agent(4:4)
            CPU_TIMER_EXPIRED ghost_msg_payload_timer 24 8 | cpu(0:4) type(8:8) cookie(16:8)
            CPU_AVAILABLE ghost_msg_payload_cpu_available 4 4 | cpu(0:4)
            CPU_BUSY ghost_msg_payload_cpu_busy 4 4 | cpu(0:4)
            CPU_AGENT_BLOCKED ghost_msg_payload_agent_blocked 4 4 | cpu(0:4)
            CPU_AGENT_WAKEUP ghost_msg_payload_agent_wakeup 4 4 | cpu(0:4)
            """;

  // §1.1: the only layout differences of ABI 84.
  private static final String PAYLOADS_84_CHANGES =
      """
            TASK_NEW ghost_msg_payload_task_new 40 8 | gtid(0:8) parent_gtid(8:8) runtime(16:8) runnable(24:2) nice(28:4) sw_info(32:8)
            TASK_DEAD ghost_msg_payload_task_dead 8 8 | gtid(0:8)
            CPU_TICK ghost_msg_payload_cpu_tick 4 4 | cpu(0:4)
            """;

  @Test
  void abi91StructsMatchTheProbe() {
    assertStructs(AbiVersion.V91, STRUCTS + BPF_91);
  }

  @Test
  void abi90IsIdenticalTo91() {
    assertStructs(AbiVersion.V90, STRUCTS + BPF_91);
    assertPayloads(AbiVersion.V90, PAYLOADS_91);
    assertEquals(Layouts.of(AbiVersion.V91).structs(), Layouts.of(AbiVersion.V90).structs());
    assertEquals(Layouts.of(AbiVersion.V91).payloads(), Layouts.of(AbiVersion.V90).payloads());
  }

  @Test
  void abi84StructsDifferOnlyInBpfGhostMsg() {
    assertStructs(AbiVersion.V84, STRUCTS + BPF_84);
  }

  @Test
  void abi91PayloadsMatchTheProbe() {
    assertPayloads(AbiVersion.V91, PAYLOADS_91);
  }

  @Test
  void abi84PayloadsDifferInTaskNewTaskDeadAndCpuTick() {
    Map<String, String> lines = new LinkedHashMap<>();
    for (String l : PAYLOADS_91.strip().split("\n")) {
      lines.put(l.split(" ")[0], l);
    }
    for (String l : PAYLOADS_84_CHANGES.strip().split("\n")) {
      lines.put(l.split(" ")[0], l);
    }
    assertPayloads(AbiVersion.V84, String.join("\n", lines.values()));
    Layout l84 = Layouts.of(AbiVersion.V84);
    assertFalse(l84.payload(MessageType.TASK_NEW).has("agent_data"));
    assertFalse(l84.payload(MessageType.TASK_DEAD).has("cpu"));
    assertFalse(l84.payload(MessageType.CPU_TICK).has("is_agent"));
  }

  @Test
  void payloadSizesAgreeWithTheAbiModuleAndTheMessageTable() {
    // §1.4: length = 8 + sizeof(payload), slots = ceil(length / 8).
    int[][] lengths91And84 = {
      {64, 24, 16},
      {65, 40, 40},
      {66, 40, 40},
      {67, 56, 48},
      {68, 48, 48},
      {69, 48, 48},
      {70, 32, 32},
      {71, 40, 40},
      {72, 16, 16},
      {73, 40, 40},
      {74, 24, 24},
      {75, 24, 24},
      {128, 16, 12},
      {129, 32, 32},
      {130, 24, 24},
      {131, 12, 12},
      {132, 12, 12},
      {133, 12, 12},
      {134, 12, 12}
    };
    for (int[] row : lengths91And84) {
      MessageType t = MessageType.of(row[0]);
      assertEquals(row[1], 8 + Layouts.of(AbiVersion.V91).payload(t).size(), t + " length 91");
      assertEquals(row[1], 8 + Layouts.of(AbiVersion.V90).payload(t).size(), t + " length 90");
      assertEquals(row[2], 8 + Layouts.of(AbiVersion.V84).payload(t).size(), t + " length 84");
      for (AbiVersion abi : AbiVersion.values()) {
        assertEquals(t.payloadSize(abi), Layouts.of(abi).payload(t).size(), t + " " + abi);
      }
    }
    assertEquals(
        MessageType.values().length - 1,
        Layouts.of(AbiVersion.V91).payloads().size(),
        "all but NOP");
    assertThrows(
        IllegalArgumentException.class, () -> Layouts.of(AbiVersion.V91).payload(MessageType.NOP));
  }

  @Test
  void derivedSizesOfSection13() {
    Layout l = Layouts.of(AbiVersion.V91);
    int ringStart = l.struct("ghost_queue_header").size();
    assertEquals(
        76, ringStart + l.struct("ghost_ring").offset("msgs"), "msgs[] starts 76 bytes in");
    assertEquals(AbiConstants.RING_MSGS_OFFSET, ringStart + l.struct("ghost_ring").size());
    assertEquals(528_384, AbiConstants.queueMapSize(65536));
    int words =
        (AbiConstants.SW_REGION_SIZE - l.struct("ghost_sw_region_header").size())
            / l.struct("ghost_status_word").size();
    assertEquals(65_534, words);
    assertEquals(AbiConstants.CPU_DATA_STRIDE, l.struct("ghost_cpu_data").size());
  }

  @Test
  void unknownNamesAreNamedInTheError() {
    Layout l = Layouts.of(AbiVersion.V84);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> l.struct("ghost_nope"));
    assertTrue(
        e.getMessage().contains("ghost_nope") && e.getMessage().contains("ABI 84"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> l.struct("ghost_txn").field("state2"));
    assertTrue(e.getMessage().contains("ghost_txn has no field state2"), e.getMessage());
  }

  private static void assertStructs(AbiVersion abi, String table) {
    Layout layout = Layouts.of(abi);
    List<String> names = new ArrayList<>();
    for (String line : table.strip().split("\n")) {
      Struct expected = parse(line, 0);
      names.add(expected.name());
      assertEquals(
          expected, layout.struct(expected.name()), "ABI " + abi.number() + " " + expected.name());
    }
    assertEquals(names, List.copyOf(layout.structs().keySet()), "no struct missing or extra");
  }

  private static void assertPayloads(AbiVersion abi, String table) {
    Layout layout = Layouts.of(abi);
    for (String line : table.strip().split("\n")) {
      MessageType type = MessageType.valueOf(line.substring(0, line.indexOf(' ')));
      Struct expected = parse(line, 1);
      assertEquals(expected, layout.payload(type), "ABI " + abi.number() + " " + type);
    }
  }

  // "[prefix words] name size align | f(o:s) ..." with `skip` words before the name.
  private static Struct parse(String line, int skip) {
    String[] halves = line.split("\\|");
    String[] head = halves[0].trim().split("\\s+");
    List<Field> fields = new ArrayList<>();
    for (String f : halves[1].trim().split("\\s+")) {
      String name = f.substring(0, f.indexOf('('));
      String[] os = f.substring(f.indexOf('(') + 1, f.indexOf(')')).split(":");
      fields.add(new Field(name, Integer.parseInt(os[0]), Integer.parseInt(os[1])));
    }
    return new Struct(
        head[skip], Integer.parseInt(head[skip + 1]), Integer.parseInt(head[skip + 2]), fields);
  }
}
