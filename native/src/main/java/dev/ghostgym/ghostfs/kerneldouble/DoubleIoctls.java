package dev.ghostgym.ghostfs.kerneldouble;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import dev.ghostgym.abi.AbiConstants;
import dev.ghostgym.abi.AbiVersion;
import dev.ghostgym.abi.Gtid;
import dev.ghostgym.abi.Ioctl;
import dev.ghostgym.abi.RunFlags;
import dev.ghostgym.abi.StatusFlags;
import dev.ghostgym.abi.TxnState;
import dev.ghostgym.ghostfs.IoctlArgs;
import dev.ghostgym.ghostfs.Layouts;
import dev.ghostgym.ghostfs.Struct;
import dev.ghostgym.ghostfs.Txn;
import dev.ghostgym.ghostfs.kerneldouble.KernelDouble.Kind;
import dev.ghostgym.ghostfs.kerneldouble.KernelDouble.Open;

/**
 * The enclave ioctls of the {@link KernelDouble}, each checking its request code and argument bytes
 * as kernel/sched/ghost.c does (the rules are listed in docs/LIVE.md) and answering with the
 * kernel's errno. Called with the enclave's monitor held; a RUN yield waits on it.
 */
final class DoubleIoctls {
  private static final Struct CREATE = s("ghost_ioc_create_queue");
  private static final Struct ASSOC = s("ghost_ioc_assoc_queue");
  private static final Struct DEFAULT = s("ghost_ioc_set_default_queue");
  private static final Struct WAKEUP = s("ghost_ioc_config_queue_wakeup");
  private static final Struct AGENT_WAKEUP = s("ghost_agent_wakeup");
  private static final Struct SW_INFO = s("ghost_ioc_sw_get_info");
  private static final Struct SW = s("ghost_sw_info");
  private static final Struct COMMIT = s("ghost_ioc_commit_txn");
  private static final Struct CPU_TIME = s("ghost_ioc_get_cpu_time");
  private static final Struct RUN = s("ghost_ioc_run");
  private static final Struct TIMER = s("ghost_ioc_timerfd_settime");
  private static final int EINVAL = AbiConstants.EINVAL;

  private DoubleIoctls() {}

  private static Struct s(String name) {
    return Layouts.of(AbiVersion.latest()).struct(name);
  }

  static int handle(DoubleEnclave e, long request, Pointer arg) {
    Ioctl which = null;
    for (Ioctl i : Ioctl.values()) if (i.request() == request) which = i;
    if (which == null) return -KernelDouble.ENOTTY;
    e.kernel.record("ioctl " + which);
    if (which == Ioctl.NULL) return 0;
    if (arg == null) return -KernelDouble.EFAULT;
    return switch (which) {
      case CREATE_QUEUE -> createQueue(e, arg);
      case SET_DEFAULT_QUEUE -> setDefaultQueue(e, arg);
      case CONFIG_QUEUE_WAKEUP -> configWakeup(e, arg);
      case ASSOC_QUEUE -> assocQueue(e, arg);
      case SW_GET_INFO -> swGetInfo(e, arg);
      case SW_FREE -> swFree(e, arg);
      case GET_CPU_TIME -> cpuTime(e, arg);
      case COMMIT_TXN -> commit(e, arg, false);
      case SYNC_GROUP_TXN -> commit(e, arg, true);
      case RUN -> run(e, arg);
      case TIMERFD_SETTIME -> timerfd(e, arg);
      default -> -KernelDouble.ENOTTY;
    };
  }

  // elems a power of two up to 65536, node an online node (the double has node 0), flags 0.
  private static int createQueue(DoubleEnclave e, Pointer a) {
    int elems = a.getInt(CREATE.offset("elems"));
    int node = a.getInt(CREATE.offset("node"));
    int flags = a.getInt(CREATE.offset("flags"));
    if (elems <= 0
        || elems > AbiConstants.GHOST_MAX_QUEUE_ELEMS
        || Integer.bitCount(elems) != 1
        || node != 0
        || flags != 0) {
      return -EINVAL;
    }
    long size = AbiConstants.queueMapSize(elems);
    Memory m = new Memory(size);
    m.clear();
    dev.ghostgym.ghostfs.RingProducer.format(m.getByteBuffer(0, size), elems);
    int fd =
        e.kernel.newFd(
            new Open(Kind.QUEUE, e, "[ghost_queue]", dev.ghostgym.ghostfs.LibC.O_RDWR, null));
    DoubleQueue q = new DoubleQueue(fd, m, e.abi);
    e.queues.put(fd, q);
    e.kernel.replace(
        fd, new Open(Kind.QUEUE, e, "[ghost_queue]", dev.ghostgym.ghostfs.LibC.O_RDWR, q));
    a.setLong(CREATE.offset("mapsize"), size);
    return fd;
  }

  private static DoubleQueue queue(DoubleEnclave e, int fd) {
    return e.queues.get(fd);
  }

  private static int setDefaultQueue(DoubleEnclave e, Pointer a) {
    DoubleQueue q = queue(e, a.getInt(DEFAULT.offset("fd")));
    if (q == null) return -KernelDouble.EBADF;
    e.defaultQueue = q;
    return 0;
  }

  // ninfo 0..2 wakeups {cpu of the enclave, prio 0}, flags 0; the kernel kicks the last CPU listed.
  private static int configWakeup(DoubleEnclave e, Pointer a) {
    DoubleQueue q = queue(e, a.getInt(WAKEUP.offset("qfd")));
    if (q == null) return -KernelDouble.EBADF;
    int n = a.getInt(WAKEUP.offset("ninfo"));
    if (n < 0 || n > AbiConstants.GHOST_MAX_WINFO || a.getInt(WAKEUP.offset("flags")) != 0)
      return -EINVAL;
    Pointer w = a.getPointer(WAKEUP.offset("w"));
    if (n > 0 && w == null) return -KernelDouble.EFAULT;
    int[] cpus = new int[n];
    for (int i = 0; i < n; i++) {
      cpus[i] = w.getInt((long) i * AGENT_WAKEUP.size() + AGENT_WAKEUP.offset("cpu"));
      int prio = w.getInt((long) i * AGENT_WAKEUP.size() + AGENT_WAKEUP.offset("prio"));
      if (!e.hasCpu(cpus[i]) || prio != 0) return -EINVAL;
    }
    q.wake = cpus;
    if (n > 0) DoubleMessages.wakeAgent(e, cpus[n - 1]);
    return 0;
  }

  // src {GHOST_TASK, gtid}, flags 0; ENOENT for a task gone, ESTALE for a barrier behind the
  // word's.
  private static int assocQueue(DoubleEnclave e, Pointer a) {
    DoubleQueue q = queue(e, a.getInt(ASSOC.offset("fd")));
    if (q == null) return -KernelDouble.EBADF;
    if (a.getInt(ASSOC.offset("src.type")) != AbiConstants.GHOST_TASK
        || a.getInt(ASSOC.offset("flags")) != 0) return -EINVAL;
    DoubleTask t = e.tasks.get(a.getLong(ASSOC.offset("src.arg")));
    if (t == null) return -AbiConstants.ENOENT;
    if (a.getInt(ASSOC.offset("barrier")) != e.words.region().barrier(t.word))
      return -AbiConstants.ESTALE;
    t.queue = q;
    return 0;
  }

  private static int swGetInfo(DoubleEnclave e, Pointer a) {
    int type = a.getInt(SW_INFO.offset("request.type"));
    long what = a.getLong(SW_INFO.offset("request.arg"));
    int index;
    if (type == AbiConstants.GHOST_AGENT) {
      if (what < 0 || what >= e.agents.length || !e.hasCpu((int) what)) return -KernelDouble.ENODEV;
      DoubleAgent ag = e.agents[(int) what];
      if (ag == null) return -EINVAL;
      index = ag.word;
    } else if (type == AbiConstants.GHOST_TASK) {
      DoubleTask t = e.tasks.get(what);
      if (t == null) return -AbiConstants.ENOENT;
      index = t.word;
    } else {
      return -EINVAL;
    }
    a.setInt(SW_INFO.offset("response.id"), 0);
    a.setInt(SW_INFO.offset("response.index"), index);
    return 0;
  }

  // Only a CANFREE word of region 0 may be freed.
  private static int swFree(DoubleEnclave e, Pointer a) {
    int id = a.getInt(SW.offset("id"));
    int index = a.getInt(SW.offset("index"));
    if (id != 0 || index < 0 || index >= e.words.region().capacity()) return -EINVAL;
    int flags = e.words.region().flags(index);
    if ((flags & StatusFlags.F_INUSE) == 0 || (flags & StatusFlags.F_CANFREE) == 0) return -EINVAL;
    e.words.write(index, new dev.ghostgym.ghostfs.StatusWord(0, 0, 0, 0, 0));
    return 0;
  }

  private static int cpuTime(DoubleEnclave e, Pointer a) {
    DoubleTask t = e.tasks.get(a.getLong(CPU_TIME.offset("gtid")));
    if (t == null) return -AbiConstants.ESRCH;
    a.setLong(CPU_TIME.offset("runtime"), t.runtime);
    return 0;
  }

  // The mask is a cpu_set_t: mask_len must be sizeof(cpu_set_t) = 128 as the C++ library passes it
  // (stricter than the kernel, which would accept a shorter mask: see docs/LIVE.md), flags 0.
  private static int commit(DoubleEnclave e, Pointer a, boolean group) {
    Pointer mask = a.getPointer(COMMIT.offset("mask_ptr"));
    int len = a.getInt(COMMIT.offset("mask_len"));
    if (a.getInt(COMMIT.offset("flags")) != 0 || len != AbiConstants.CPU_SET_SIZE) return -EINVAL;
    if (mask == null) return -KernelDouble.EFAULT;
    byte[] set = mask.getByteArray(0, len);
    int caller = e.callerCpu();
    java.util.List<Integer> claimed = new java.util.ArrayList<>();
    StringBuilder line = new StringBuilder("commit: by ").append(caller).append(" on");
    for (int cpu = 0; cpu < Math.min(e.agents.length, len * 8); cpu++) {
      if ((set[cpu >>> 3] & (1 << (cpu & 7))) == 0) continue;
      if (e.txnKernel.claim(cpu, caller >= 0 ? caller : cpu)) claimed.add(cpu);
    }
    for (int c : claimed) line.append(' ').append(c);
    e.kernel.record(line.toString());
    TxnState[] verdict = new TxnState[claimed.size()];
    boolean allOk = true;
    for (int i = 0; i < verdict.length; i++) {
      verdict[i] = validate(e, claimed.get(i), caller);
      allOk &= verdict[i] == TxnState.COMPLETE;
    }
    long now = System.nanoTime();
    for (int i = 0; i < verdict.length; i++) {
      int cpu = claimed.get(i);
      TxnState v =
          group && !allOk && verdict[i] == TxnState.COMPLETE ? TxnState.POISONED : verdict[i];
      if (v == TxnState.COMPLETE) place(e, cpu, e.txnKernel.read(cpu).gtid());
      e.txnKernel.complete(cpu, v, now, ++e.cpuSeqnum);
    }
    return group ? (allOk ? 1 : 0) : 0;
  }

  private static TxnState validate(DoubleEnclave e, int cpu, int caller) {
    Txn t = e.txnKernel.read(cpu);
    if (t.version() != AbiConstants.GHOST_TXN_VERSION) return TxnState.UNSUPPORTED_VERSION;
    if (t.cpu() != cpu) return TxnState.INVALID_CPU;
    if (!e.hasCpu(cpu)) return TxnState.CPU_UNAVAIL;
    if (e.agents[cpu] == null) return TxnState.NO_AGENT;
    // A local commit carries the caller's agent barrier: stale if a message came since it was read.
    if (cpu == caller && t.agentBarrier() != e.words.region().barrier(e.agents[cpu].word))
      return TxnState.AGENT_STALE;
    if (!RunFlags.valid(t.runFlags(), t.gtid())) return TxnState.INVALID_FLAGS;
    if (t.gtid() == Gtid.NULL) return TxnState.COMPLETE;
    if (t.gtid() < 0) return TxnState.INVALID_TARGET;
    DoubleTask task = e.tasks.get(t.gtid());
    if (task == null) return TxnState.TARGET_NOT_FOUND;
    if (t.taskBarrier() != e.words.region().barrier(task.word)) return TxnState.TARGET_STALE;
    int flags = e.words.region().flags(task.word);
    if ((flags & StatusFlags.TASK_RUNNABLE) == 0) return TxnState.TARGET_NOT_RUNNABLE;
    if (task.cpu >= 0 && task.cpu != cpu) return TxnState.TARGET_ONCPU;
    // ghost_can_schedule: a higher class has the CPU (CFS runs, the agent blocked in RUN).
    if (e.cfs[cpu] && e.agents[cpu].inRun) return TxnState.CPU_UNAVAIL;
    return TxnState.COMPLETE;
  }

  private static void place(DoubleEnclave e, int cpu, long gtid) {
    long old = e.running[cpu];
    if (old != 0 && old != gtid && e.tasks.containsKey(old)) {
      DoubleTask o = e.tasks.get(old);
      o.cpu = -1;
      e.words.setFlags(o.word, e.words.region().flags(o.word) & ~StatusFlags.TASK_ONCPU);
    }
    e.running[cpu] = gtid;
    if (gtid != Gtid.NULL) {
      DoubleTask t = e.tasks.get(gtid);
      t.cpu = cpu;
      t.lastCpu = cpu;
      e.words.setFlags(t.word, e.words.region().flags(t.word) | StatusFlags.TASK_ONCPU);
    }
  }

  // gtid 0: the caller's agent yields on run_cpu (its own CPU), flags only RTLA_ON_IDLE, ESTALE on
  // a
  // stale agent barrier, else blocks until woken. gtid -1: ping the agent of run_cpu. Else EINVAL.
  private static int run(DoubleEnclave e, Pointer a) {
    long gtid = a.getLong(RUN.offset("gtid"));
    int barrier = a.getInt(RUN.offset("agent_barrier"));
    int cpu = a.getInt(RUN.offset("run_cpu"));
    int flags = a.getInt(RUN.offset("run_flags"));
    if (gtid == Gtid.AGENT) {
      if (cpu < 0 || cpu >= e.agents.length || e.agents[cpu] == null) return -EINVAL;
      e.kernel.record("run: ping " + cpu + " from " + e.callerCpu());
      DoubleMessages.wakeAgent(e, cpu);
      return 0;
    }
    if (gtid != Gtid.NULL) return -EINVAL;
    int caller = e.callerCpu();
    if (caller < 0 || cpu != caller || (flags & ~RunFlags.RTLA_ON_IDLE) != 0) return -EINVAL;
    DoubleAgent ag = e.agents[cpu];
    if (barrier != e.words.region().barrier(ag.word)) return -AbiConstants.ESTALE;
    e.kernel.record("run: yield " + cpu);
    ag.inRun = true;
    DoubleCfs.agentBlocks(e, cpu);
    // A Java interrupt is no signal: the kernel's RUN would not return for it. Keep waiting for a
    // wake-up (a ping, a message, a timer) and hand the interrupt back on return.
    boolean interrupted = false;
    while (!ag.wakePending && !e.kernel.isShutDown() && e.agents[cpu] == ag) {
      long wait =
          Math.min(50, Math.max(1, (DoubleMessages.nextTimer(e) - System.nanoTime()) / 1_000_000));
      try {
        e.wait(wait);
      } catch (InterruptedException x) {
        interrupted = true;
      }
      DoubleMessages.fireDue(e, System.nanoTime());
    }
    ag.inRun = false;
    // Woken, the agent gets its CPU back: it displaces the ghOSt task there and sees BOOST_PRIO if
    // CFS is waiting. A wake-up this causes (its own TASK_PREEMPT) is absorbed: it is running.
    if (ag.wakePending && e.agents[cpu] == ag) DoubleCfs.agentRuns(e, cpu);
    ag.wakePending = false;
    if (interrupted) Thread.currentThread().interrupt();
    return 0;
  }

  // A timerfd of this process; flags 0 or TFD_TIMER_ABSTIME; in_tmr set; an enabled ghost timer
  // names a CPU with an agent. it_value {0, 0} disarms (timerfd_settime(2)); a past time fires now.
  private static int timerfd(DoubleEnclave e, Pointer a) {
    int tfd = a.getInt(TIMER.offset("timerfd"));
    Open o = e.kernel.fd(tfd);
    if (o == null) return -KernelDouble.EBADF;
    if (o.kind != Kind.TIMER) return -EINVAL;
    int flags = a.getInt(TIMER.offset("flags"));
    if ((flags & ~IoctlArgs.TFD_TIMER_ABSTIME) != 0) return -EINVAL;
    Pointer in = a.getPointer(TIMER.offset("in_tmr"));
    if (in == null) return -KernelDouble.EFAULT;
    int cpu = a.getInt(TIMER.offset("timerfd_ghost.cpu"));
    int gflags = a.getInt(TIMER.offset("timerfd_ghost.flags"));
    if ((gflags & ~AbiConstants.TIMERFD_GHOST_ENABLED) != 0) return -EINVAL;
    boolean ghost = (gflags & AbiConstants.TIMERFD_GHOST_ENABLED) != 0;
    if (ghost && (cpu < 0 || cpu >= e.agents.length || e.agents[cpu] == null)) return -EINVAL;
    long sec = in.getLong(16);
    long nsec = in.getLong(24);
    if (sec < 0 || nsec < 0 || nsec >= 1_000_000_000L || in.getLong(8) >= 1_000_000_000L)
      return -EINVAL;
    e.timers.remove(tfd);
    if (sec == 0 && nsec == 0) return 0; // disarmed
    long at = sec * 1_000_000_000L + nsec;
    if ((flags & IoctlArgs.TFD_TIMER_ABSTIME) == 0) at += System.nanoTime();
    if (ghost) {
      e.timers.put(
          tfd,
          new DoubleTimer(
              cpu,
              a.getLong(TIMER.offset("timerfd_ghost.type")),
              a.getLong(TIMER.offset("timerfd_ghost.cookie")),
              at));
      DoubleMessages.fireDue(e, System.nanoTime());
    }
    return 0;
  }
}
