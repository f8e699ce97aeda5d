package dev.ghostgym.ghostfs;

import dev.ghostgym.abi.AbiVersion;
import dev.ghostgym.abi.MessageType;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The x86-64 layouts of ABI 84, 90 and 91 as printed by a C probe against the real headers
 * (docs/KERNEL-MODEL.md §1.3). 90 and 91 are identical; 84 lacks {@code task_new.agent_data},
 * {@code task_dead.cpu} and {@code cpu_tick.is_agent}, which shrinks those payloads and {@code
 * bpf_ghost_msg}, whose union of payloads is then 40 bytes instead of 48.
 */
public final class Layouts {

  private static final Map<AbiVersion, Layout> BY_ABI = new EnumMap<>(AbiVersion.class);

  static {
    for (AbiVersion abi : AbiVersion.values()) {
      BY_ABI.put(abi, build(abi));
    }
  }

  private Layouts() {}

  /** The layout of {@code abi}. */
  public static Layout of(AbiVersion abi) {
    return BY_ABI.get(abi);
  }

  private static Layout build(AbiVersion abi) {
    boolean v84 = abi == AbiVersion.V84;
    Map<String, Struct> s = new LinkedHashMap<>();
    messageStructs(s);
    statusWordStructs(s);
    txnStructs(s);
    wakeupTimerAndSwInfoStructs(s);
    ioctlArgStructs(s);
    Map<MessageType, Struct> p = new EnumMap<>(MessageType.class);
    taskLifecyclePayloads(p, v84);
    taskRunPayloads(p);
    cpuPayloads(p, v84);

    // The union of all payloads, then type, seqnum and the BPF program's preferred wakeup CPU.
    int union = p.values().stream().mapToInt(Struct::size).max().orElseThrow();
    put(
        s,
        "bpf_ghost_msg",
        v84 ? 56 : 64,
        8,
        f("payload", 0, union),
        f("type", union, 2),
        f("seqnum", union + 4, 4),
        f("pref_cpu", union + 8, 4));

    for (Map.Entry<MessageType, Struct> e : p.entrySet()) {
      if (e.getValue().size() != e.getKey().payloadSize(abi)) {
        throw new IllegalStateException(
            "layout of "
                + e.getValue().name()
                + " ("
                + e.getValue().size()
                + " bytes) disagrees with MessageType."
                + e.getKey()
                + ".payloadSize("
                + abi
                + ")");
      }
    }
    return new Layout(abi, s, p);
  }

  private static void messageStructs(Map<String, Struct> s) {
    put(
        s,
        "ghost_msg",
        8,
        4,
        f("type", 0, 2),
        f("length", 2, 2),
        f("seqnum", 4, 4),
        f("payload", 8, 0));
    put(s, "ghost_queue_header", 64, 64, f("version", 0, 4), f("start", 4, 4), f("nelems", 8, 4));
    put(
        s,
        "ghost_ring",
        12,
        4,
        f("head", 0, 4),
        f("tail", 4, 4),
        f("overflow", 8, 4),
        f("msgs", 12, 0));
  }

  private static void statusWordStructs(Map<String, Struct> s) {
    put(
        s,
        "ghost_status_word",
        32,
        32,
        f("barrier", 0, 4),
        f("flags", 4, 4),
        f("gtid", 8, 8),
        f("switch_time", 16, 8),
        f("runtime", 24, 8));
    put(
        s,
        "ghost_sw_region_header",
        64,
        64,
        f("version", 0, 4),
        f("id", 4, 4),
        f("numa_node", 8, 4),
        f("start", 12, 4),
        f("capacity", 16, 4),
        f("available", 20, 4));
  }

  private static void txnStructs(Map<String, Struct> s) {
    put(
        s,
        "ghost_txn",
        64,
        64,
        f("version", 0, 4),
        f("cpu", 4, 4),
        f("state", 8, 4),
        f("agent_barrier", 12, 4),
        f("task_barrier", 16, 4),
        f("run_flags", 20, 2),
        f("commit_flags", 22, 1),
        f("unused", 23, 1),
        f("gtid", 24, 8),
        f("commit_time", 32, 8),
        f("cpu_seqnum", 40, 8),
        f("u.sync_group_owner", 48, 4));
    put(s, "ghost_cpu_data", 4096, 4096, f("txn", 0, 64));
  }

  private static void wakeupTimerAndSwInfoStructs(Map<String, Struct> s) {
    put(s, "ghost_agent_wakeup", 8, 4, f("cpu", 0, 4), f("prio", 4, 4));
    put(s, "ghost_msg_src", 16, 8, f("type", 0, 4), f("arg", 8, 8));
    put(
        s,
        "timerfd_ghost",
        24,
        8,
        f("cpu", 0, 4),
        f("flags", 4, 4),
        f("type", 8, 8),
        f("cookie", 16, 8));
    put(s, "ghost_sw_info", 8, 4, f("id", 0, 4), f("index", 4, 4));
  }

  private static void ioctlArgStructs(Map<String, Struct> s) {
    put(
        s,
        "ghost_ioc_sw_get_info",
        24,
        8,
        f("request", 0, 16),
        f("request.type", 0, 4),
        f("request.arg", 8, 8),
        f("response", 16, 8),
        f("response.id", 16, 4),
        f("response.index", 20, 4));
    put(
        s,
        "ghost_ioc_create_queue",
        24,
        8,
        f("elems", 0, 4),
        f("node", 4, 4),
        f("flags", 8, 4),
        f("mapsize", 16, 8));
    put(
        s,
        "ghost_ioc_assoc_queue",
        32,
        8,
        f("fd", 0, 4),
        f("src", 8, 16),
        f("src.type", 8, 4),
        f("src.arg", 16, 8),
        f("barrier", 24, 4),
        f("flags", 28, 4));
    put(s, "ghost_ioc_set_default_queue", 4, 4, f("fd", 0, 4));
    put(
        s,
        "ghost_ioc_config_queue_wakeup",
        24,
        8,
        f("qfd", 0, 4),
        f("w", 8, 8),
        f("ninfo", 16, 4),
        f("flags", 20, 4));
    put(s, "ghost_ioc_get_cpu_time", 16, 8, f("gtid", 0, 8), f("runtime", 8, 8));
    put(
        s,
        "ghost_ioc_commit_txn",
        16,
        8,
        f("mask_ptr", 0, 8),
        f("mask_len", 8, 4),
        f("flags", 12, 4));
    put(
        s,
        "ghost_ioc_timerfd_settime",
        48,
        8,
        f("timerfd", 0, 4),
        f("flags", 4, 4),
        f("in_tmr", 8, 8),
        f("out_tmr", 16, 8),
        f("timerfd_ghost", 24, 24),
        f("timerfd_ghost.cpu", 24, 4),
        f("timerfd_ghost.flags", 28, 4),
        f("timerfd_ghost.type", 32, 8),
        f("timerfd_ghost.cookie", 40, 8));
    put(
        s,
        "ghost_ioc_run",
        24,
        8,
        f("gtid", 0, 8),
        f("agent_barrier", 8, 4),
        f("task_barrier", 12, 4),
        f("run_cpu", 16, 4),
        f("run_flags", 20, 4));
  }

  private static void taskLifecyclePayloads(Map<MessageType, Struct> p, boolean v84) {
    List<Field> taskNew =
        new ArrayList<>(
            List.of(
                f("gtid", 0, 8),
                f("parent_gtid", 8, 8),
                f("runtime", 16, 8),
                f("runnable", 24, 2),
                f("nice", 28, 4),
                f("sw_info", 32, 8)));
    if (!v84) {
      taskNew.add(f("agent_data", 40, 8));
    }
    payload(p, MessageType.TASK_NEW, "task_new", v84 ? 40 : 48, 8, taskNew.toArray(Field[]::new));
    payload(
        p,
        MessageType.TASK_PREEMPT,
        "task_preempt",
        40,
        8,
        f("gtid", 0, 8),
        f("runtime", 8, 8),
        f("cpu_seqnum", 16, 8),
        f("agent_data", 24, 8),
        f("cpu", 32, 4),
        f("from_switchto", 36, 1),
        f("was_latched", 37, 1));
    payload(
        p,
        MessageType.TASK_YIELD,
        "task_yield",
        40,
        8,
        f("gtid", 0, 8),
        f("runtime", 8, 8),
        f("cpu_seqnum", 16, 8),
        f("agent_data", 24, 8),
        f("cpu", 32, 4),
        f("from_switchto", 36, 1));
    payload(
        p,
        MessageType.TASK_BLOCKED,
        "task_blocked",
        32,
        8,
        f("gtid", 0, 8),
        f("runtime", 8, 8),
        f("cpu_seqnum", 16, 8),
        f("cpu", 24, 4),
        f("from_switchto", 28, 1));
    if (v84) {
      payload(p, MessageType.TASK_DEAD, "task_dead", 8, 8, f("gtid", 0, 8));
    } else {
      payload(p, MessageType.TASK_DEAD, "task_dead", 16, 8, f("gtid", 0, 8), f("cpu", 8, 4));
    }
    payload(
        p,
        MessageType.TASK_DEPARTED,
        "task_departed",
        24,
        8,
        f("gtid", 0, 8),
        f("cpu_seqnum", 8, 8),
        f("cpu", 16, 4),
        f("from_switchto", 20, 1),
        f("was_current", 21, 1));
    payload(p, MessageType.TASK_AFFINITY_CHANGED, "task_affinity_changed", 8, 8, f("gtid", 0, 8));
    payload(
        p,
        MessageType.TASK_PRIORITY_CHANGED,
        "task_priority_changed",
        16,
        8,
        f("gtid", 0, 8),
        f("nice", 8, 4));
  }

  private static void taskRunPayloads(Map<MessageType, Struct> p) {
    payload(
        p,
        MessageType.TASK_WAKEUP,
        "task_wakeup",
        32,
        8,
        f("gtid", 0, 8),
        f("agent_data", 8, 8),
        f("deferrable", 16, 1),
        f("last_ran_cpu", 20, 4),
        f("wake_up_cpu", 24, 4),
        f("waker_cpu", 28, 4));
    payload(
        p,
        MessageType.TASK_SWITCHTO,
        "task_switchto",
        32,
        8,
        f("gtid", 0, 8),
        f("runtime", 8, 8),
        f("cpu_seqnum", 16, 8),
        f("cpu", 24, 4));
    payload(
        p,
        MessageType.TASK_ON_CPU,
        "task_on_cpu",
        32,
        8,
        f("gtid", 0, 8),
        f("commit_time", 8, 8),
        f("cpu_seqnum", 16, 8),
        f("cpu", 24, 4));
    payload(
        p,
        MessageType.TASK_LATCH_FAILURE,
        "task_latch_failure",
        16,
        8,
        f("gtid", 0, 8),
        f("errno", 8, 4));
  }

  private static void cpuPayloads(Map<MessageType, Struct> p, boolean v84) {
    payload(
        p, MessageType.CPU_NOT_IDLE, "cpu_not_idle", 16, 8, f("cpu", 0, 4), f("next_gtid", 8, 8));
    if (v84) {
      payload(p, MessageType.CPU_TICK, "cpu_tick", 4, 4, f("cpu", 0, 4));
    } else {
      payload(p, MessageType.CPU_TICK, "cpu_tick", 8, 4, f("cpu", 0, 4), f("is_agent", 4, 4));
    }
    payload(
        p,
        MessageType.CPU_TIMER_EXPIRED,
        "timer",
        24,
        8,
        f("cpu", 0, 4),
        f("type", 8, 8),
        f("cookie", 16, 8));
    payload(p, MessageType.CPU_AVAILABLE, "cpu_available", 4, 4, f("cpu", 0, 4));
    payload(p, MessageType.CPU_BUSY, "cpu_busy", 4, 4, f("cpu", 0, 4));
    payload(p, MessageType.CPU_AGENT_BLOCKED, "agent_blocked", 4, 4, f("cpu", 0, 4));
    payload(p, MessageType.CPU_AGENT_WAKEUP, "agent_wakeup", 4, 4, f("cpu", 0, 4));
  }

  private static Field f(String name, int offset, int size) {
    return new Field(name, offset, size);
  }

  private static void put(
      Map<String, Struct> s, String name, int size, int align, Field... fields) {
    s.put(name, new Struct(name, size, align, List.of(fields)));
  }

  private static void payload(
      Map<MessageType, Struct> p,
      MessageType type,
      String cName,
      int size,
      int align,
      Field... fields) {
    p.put(type, new Struct("ghost_msg_payload_" + cName, size, align, List.of(fields)));
  }
}
