package dev.ghostgym.ghostfs;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import dev.ghostgym.abi.AbiConstants;
import dev.ghostgym.abi.AbiVersion;
import dev.ghostgym.abi.SwInfo;
import java.util.Arrays;

/**
 * Argument structs of the enclave ioctls, packed into native memory at the offsets of {@link
 * Layouts} (identical in ABI 84, 90 and 91). A struct that points to more data (the wakeup list of
 * CONFIG_QUEUE_WAKEUP) carries it in the same allocation, right after the struct, so one {@link
 * Memory} keeps it all alive.
 */
public final class IoctlArgs {

  private static final Layout L = Layouts.of(AbiVersion.latest());
  private static final Struct COMMIT = L.struct("ghost_ioc_commit_txn");
  private static final Struct RUN = L.struct("ghost_ioc_run");
  private static final Struct TIMER = L.struct("ghost_ioc_timerfd_settime");

  private IoctlArgs() {}

  /** {@code ghost_ioc_create_queue {elems, node, flags = 0}}; the kernel writes {@code mapsize}. */
  public static Memory createQueue(int elems, int node) {
    Struct s = L.struct("ghost_ioc_create_queue");
    Memory m = alloc(s.size());
    m.setInt(s.offset("elems"), elems);
    m.setInt(s.offset("node"), node);
    return m;
  }

  /** The {@code mapsize} CREATE_QUEUE wrote back. */
  public static long createQueueMapsize(Memory arg) {
    return arg.getLong(L.struct("ghost_ioc_create_queue").offset("mapsize"));
  }

  private static final Struct ASSOC = L.struct("ghost_ioc_assoc_queue");

  /** Bytes of a {@code ghost_ioc_assoc_queue} argument. */
  public static final long ASSOC_QUEUE_SIZE = ASSOC.size();

  /** {@code ghost_ioc_assoc_queue {fd, src = {GHOST_TASK, gtid}, barrier, flags = 0}}. */
  public static Memory assocQueue(int queueFd, long gtid, int barrier) {
    Memory m = alloc(ASSOC_QUEUE_SIZE);
    fillAssocQueue(m, queueFd, gtid, barrier);
    return m;
  }

  /**
   * Writes an ASSOC_QUEUE argument into {@code m} ({@link #ASSOC_QUEUE_SIZE} bytes, reused by an
   * agent thread), every field, so that what an earlier call left there does not matter.
   */
  public static void fillAssocQueue(Memory m, int queueFd, long gtid, int barrier) {
    m.setInt(ASSOC.offset("fd"), queueFd);
    m.setInt(ASSOC.offset("src.type"), AbiConstants.GHOST_TASK);
    m.setLong(ASSOC.offset("src.arg"), gtid);
    m.setInt(ASSOC.offset("barrier"), barrier);
    m.setInt(ASSOC.offset("flags"), 0);
  }

  /** {@code ghost_ioc_set_default_queue {fd}}. */
  public static Memory setDefaultQueue(int queueFd) {
    Memory m = alloc(L.struct("ghost_ioc_set_default_queue").size());
    m.setInt(L.struct("ghost_ioc_set_default_queue").offset("fd"), queueFd);
    return m;
  }

  /**
   * {@code ghost_ioc_config_queue_wakeup {qfd, w, ninfo, flags = 0}} with {@code w} pointing to
   * {@code ninfo} {@code ghost_agent_wakeup {cpu, prio = 0}} right after the struct. No CPUs
   * removes the wakeups (the agent polls).
   */
  public static Memory configQueueWakeup(int queueFd, int... cpus) {
    if (cpus.length > AbiConstants.GHOST_MAX_WINFO) {
      throw new IllegalArgumentException(
          "a queue wakes at most "
              + AbiConstants.GHOST_MAX_WINFO
              + " CPUs, got "
              + Arrays.toString(cpus));
    }
    Struct s = L.struct("ghost_ioc_config_queue_wakeup");
    Struct w = L.struct("ghost_agent_wakeup");
    Memory m = alloc(s.size() + (long) w.size() * AbiConstants.GHOST_MAX_WINFO);
    m.setInt(s.offset("qfd"), queueFd);
    m.setPointer(s.offset("w"), cpus.length == 0 ? null : m.share(s.size()));
    m.setInt(s.offset("ninfo"), cpus.length);
    for (int i = 0; i < cpus.length; i++) {
      m.setInt(s.size() + (long) i * w.size() + w.offset("cpu"), cpus[i]);
    }
    return m;
  }

  /** {@code ghost_ioc_sw_get_info} asking for the word of the agent on {@code cpu}. */
  public static Memory swGetInfoAgent(int cpu) {
    return swGetInfo(AbiConstants.GHOST_AGENT, cpu);
  }

  /** {@code ghost_ioc_sw_get_info} asking for the word of task {@code gtid}. */
  public static Memory swGetInfoTask(long gtid) {
    return swGetInfo(AbiConstants.GHOST_TASK, gtid);
  }

  private static Memory swGetInfo(int type, long arg) {
    Struct s = L.struct("ghost_ioc_sw_get_info");
    Memory m = alloc(s.size());
    m.setInt(s.offset("request.type"), type);
    m.setLong(s.offset("request.arg"), arg);
    return m;
  }

  /** The {@code response {id, index}} SW_GET_INFO wrote back. */
  public static SwInfo swGetInfoResponse(Memory arg) {
    Struct s = L.struct("ghost_ioc_sw_get_info");
    return new SwInfo(arg.getInt(s.offset("response.id")), arg.getInt(s.offset("response.index")));
  }

  private static final Struct SW_INFO = L.struct("ghost_sw_info");

  /** Bytes of a {@code ghost_sw_info} (the SW_FREE argument). */
  public static final long SW_FREE_SIZE = SW_INFO.size();

  /** {@code ghost_sw_info {id, index}} for SW_FREE. */
  public static Memory swFree(int regionId, int index) {
    Memory m = alloc(SW_FREE_SIZE);
    fillSwFree(m, regionId, index);
    return m;
  }

  /** Writes a SW_FREE argument into {@code m} ({@link #SW_FREE_SIZE} bytes, reused). */
  public static void fillSwFree(Memory m, int regionId, int index) {
    m.setInt(SW_INFO.offset("id"), regionId);
    m.setInt(SW_INFO.offset("index"), index);
  }

  /** Bytes of a {@code ghost_ioc_commit_txn} argument: the struct and its {@code cpu_set_t}. */
  public static final long COMMIT_TXN_SIZE =
      L.struct("ghost_ioc_commit_txn").size() + AbiConstants.CPU_SET_SIZE;

  /**
   * {@code ghost_ioc_commit_txn {mask_ptr, mask_len = 128, flags = 0}} with a {@code cpu_set_t} of
   * {@code cpus} right after the struct; for COMMIT_TXN and SYNC_GROUP_TXN.
   */
  public static Memory commitTxn(int... cpus) {
    byte[] set = new byte[AbiConstants.CPU_SET_SIZE];
    for (int cpu : cpus) {
      if (cpu < 0 || cpu >= AbiConstants.CPU_SET_SIZE * 8) {
        throw new IllegalArgumentException(
            "cpu " + cpu + " outside a cpu_set_t's 0.." + (AbiConstants.CPU_SET_SIZE * 8 - 1));
      }
      set[cpu / 8] |= (byte) (1 << (cpu % 8));
    }
    Memory m = alloc(COMMIT_TXN_SIZE);
    fillCommitTxn(m, set);
    return m;
  }

  /**
   * Writes a commit argument into {@code m} ({@link #COMMIT_TXN_SIZE} bytes, reused by an agent
   * pass so that it allocates nothing): the struct, and {@code cpuSet} (a 128-byte {@code
   * cpu_set_t}, CPU i is bit i%8 of byte i/8) right after it.
   */
  public static void fillCommitTxn(Memory m, byte[] cpuSet) {
    if (cpuSet.length != AbiConstants.CPU_SET_SIZE) {
      throw new IllegalArgumentException(
          "commit txn: a cpu_set_t is "
              + AbiConstants.CPU_SET_SIZE
              + " bytes, got "
              + cpuSet.length);
    }
    Struct s = COMMIT;
    // The address of the set right after the struct, written as a number: m.share() would build a
    // Pointer object on every pass.
    m.setLong(s.offset("mask_ptr"), Pointer.nativeValue(m) + s.size());
    m.setInt(s.offset("mask_len"), AbiConstants.CPU_SET_SIZE);
    m.setInt(s.offset("flags"), 0);
    m.write(s.size(), cpuSet, 0, cpuSet.length);
  }

  private static final Struct CPU_TIME = L.struct("ghost_ioc_get_cpu_time");

  /** Bytes of a {@code ghost_ioc_get_cpu_time} argument. */
  public static final long GET_CPU_TIME_SIZE = CPU_TIME.size();

  /** {@code ghost_ioc_get_cpu_time {gtid}}; the kernel writes {@code runtime}. */
  public static Memory getCpuTime(long gtid) {
    Memory m = alloc(GET_CPU_TIME_SIZE);
    fillGetCpuTime(m, gtid);
    return m;
  }

  /**
   * Writes a GET_CPU_TIME argument into {@code m} ({@link #GET_CPU_TIME_SIZE} bytes, reused): the
   * gtid, and {@code runtime} cleared (the kernel writes it).
   */
  public static void fillGetCpuTime(Memory m, long gtid) {
    m.setLong(CPU_TIME.offset("gtid"), gtid);
    m.setLong(CPU_TIME.offset("runtime"), 0);
  }

  /** The {@code runtime} (ns) GET_CPU_TIME wrote back. */
  public static long getCpuTimeRuntime(Memory arg) {
    return arg.getLong(CPU_TIME.offset("runtime"));
  }

  /** Bytes of a {@code ghost_ioc_run} argument. */
  public static final long RUN_SIZE = L.struct("ghost_ioc_run").size();

  /** {@code ghost_ioc_run {gtid, agent_barrier, task_barrier, run_cpu, run_flags}}. */
  public static Memory run(long gtid, int agentBarrier, int taskBarrier, int runCpu, int runFlags) {
    Memory m = alloc(RUN_SIZE);
    fillRun(m, gtid, agentBarrier, taskBarrier, runCpu, runFlags);
    return m;
  }

  /** Writes a RUN argument into {@code m} ({@link #RUN_SIZE} bytes, reused by an agent pass). */
  public static void fillRun(
      Memory m, long gtid, int agentBarrier, int taskBarrier, int runCpu, int runFlags) {
    Struct s = RUN;
    m.setLong(s.offset("gtid"), gtid);
    m.setInt(s.offset("agent_barrier"), agentBarrier);
    m.setInt(s.offset("task_barrier"), taskBarrier);
    m.setInt(s.offset("run_cpu"), runCpu);
    m.setInt(s.offset("run_flags"), runFlags);
  }

  /** {@code TFD_TIMER_ABSTIME}: the expiry is an absolute time of the timer's clock. */
  public static final int TFD_TIMER_ABSTIME = 1;

  /** Bytes of {@code struct itimerspec {it_interval, it_value}} (two timespecs). */
  public static final int ITIMERSPEC_SIZE = 32;

  /**
   * {@code ghost_ioc_timerfd_settime {timerfd, flags = TFD_TIMER_ABSTIME, in_tmr, out_tmr = NULL,
   * timerfd_ghost {cpu, flags = ENABLED, type = 0, cookie}}} with {@code in_tmr} pointing to an
   * {@code itimerspec} right after the struct: no interval, one shot at {@code atNs} (absolute,
   * CLOCK_MONOTONIC). An {@code it_value} of {0, 0} would disarm the timer (timerfd_settime(2)), so
   * a time at or before 0 becomes 1 ns: long past, and fires at once, as the agent asked.
   */
  public static Memory timerfdSettime(int timerfd, int cpu, long atNs, long cookie) {
    Struct s = TIMER;
    Memory m = alloc(s.size() + ITIMERSPEC_SIZE);
    m.setInt(s.offset("timerfd"), timerfd);
    m.setInt(s.offset("flags"), TFD_TIMER_ABSTIME);
    m.setPointer(s.offset("in_tmr"), m.share(s.size()));
    m.setInt(s.offset("timerfd_ghost.cpu"), cpu);
    m.setInt(s.offset("timerfd_ghost.flags"), AbiConstants.TIMERFD_GHOST_ENABLED);
    m.setLong(s.offset("timerfd_ghost.type"), 0);
    m.setLong(s.offset("timerfd_ghost.cookie"), cookie);
    long at = Math.max(1, atNs);
    m.setLong(s.size() + 16, at / 1_000_000_000L);
    m.setLong(s.size() + 24, at % 1_000_000_000L);
    return m;
  }

  private static Memory alloc(long size) {
    Memory m = new Memory(size);
    m.clear();
    return m;
  }
}
