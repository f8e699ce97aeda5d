package dev.ghostgym.ghostfs.kerneldouble;

import dev.ghostgym.abi.AbiConstants;
import dev.ghostgym.abi.Gtid;
import dev.ghostgym.abi.StatusFlags;
import dev.ghostgym.ghostfs.LibC;
import dev.ghostgym.ghostfs.StatusWord;
import dev.ghostgym.ghostfs.StatusWordWriter;
import dev.ghostgym.ghostfs.kerneldouble.KernelDouble.Kind;
import dev.ghostgym.ghostfs.kerneldouble.KernelDouble.Open;
import java.io.IOException;
import java.util.TreeSet;

/**
 * The files of one enclave directory of the {@link KernelDouble} and the commands written to its
 * {@code ctl}, as ghostfs.c answers them: which file opens how, what a read returns, and each write
 * parsed word for word. Called with the enclave's monitor held.
 */
final class DoubleGhostfs {
  private DoubleGhostfs() {}

  static int open(DoubleEnclave e, String name, int flags) {
    int acc = flags & 3;
    Kind kind =
        switch (name) {
          case "ctl" -> Kind.CTL;
          case "abi_version" -> Kind.ABI_VERSION;
          case "cpulist" -> Kind.CPULIST;
          case "agent_online" -> Kind.AGENT_ONLINE;
          case "tasks" -> Kind.TASKS;
          case "status" -> Kind.STATUS;
          case "cpu_data" -> Kind.CPU_DATA;
          case "sw_regions/sw_0" -> e.words == null ? null : Kind.SW_REGION;
          default -> e.tunables.containsKey(name) ? Kind.TUNABLE : null;
        };
    if (kind == null) return e.kernel.fail(AbiConstants.ENOENT);
    if ((kind == Kind.ABI_VERSION || kind == Kind.STATUS || kind == Kind.SW_REGION)
        && acc != LibC.O_RDONLY) {
      return e.kernel.fail(AbiConstants.EACCES);
    }
    if (kind == Kind.AGENT_ONLINE && acc != LibC.O_RDONLY) {
      // ghostfs.c: only one writable open of agent_online; it is the "agent death edge".
      if (e.online) return e.kernel.fail(AbiConstants.EBUSY);
      e.online = true;
    }
    return e.kernel.newFd(new Open(kind, e, name, flags, null));
  }

  static void closed(DoubleEnclave e, Open o) {
    if (o.kind == Kind.AGENT_ONLINE && (o.flags & 3) != LibC.O_RDONLY) e.online = false;
  }

  static String read(DoubleEnclave e, Open o) {
    return switch (o.kind) {
      case CTL -> e.id() + "\n";
      case ABI_VERSION -> e.abi.number() + "\n";
      case CPULIST -> cpulist(e) + "\n";
      case AGENT_ONLINE -> (e.online ? "1" : "0") + "\n";
      case STATUS ->
          "version "
              + e.abi.number()
              + "\nactive "
              + (e.online ? "yes" : "no")
              + "\nnr_tasks "
              + e.tasks.size()
              + "\n";
      case TUNABLE -> e.tunables.get(o.name) + "\n";
      default -> null;
    };
  }

  private static String cpulist(DoubleEnclave e) {
    StringBuilder b = new StringBuilder();
    for (int c : e.cpus) b.append(b.length() == 0 ? "" : ",").append(c);
    return b.toString();
  }

  static int write(DoubleEnclave e, Open o, String text) {
    return switch (o.kind) {
      case CTL -> command(e, text);
      case CPULIST -> setCpulist(e, text);
      case TASKS -> {
        try {
          e.spawn(Gtid.of(Integer.parseInt(text.strip()), 1), true);
          yield 0;
        } catch (IllegalArgumentException x) {
          yield -AbiConstants.EINVAL;
        }
      }
      case TUNABLE -> {
        try {
          e.tunables.put(o.name, Long.parseLong(text.strip()));
          yield 0;
        } catch (NumberFormatException x) {
          yield -AbiConstants.EINVAL;
        }
      }
      case AGENT_ONLINE -> 0;
      default -> -AbiConstants.EINVAL;
    };
  }

  // ghostfs.c gf_ctl_write: one command per write, matched word for word.
  private static int command(DoubleEnclave e, String cmd) {
    String[] w = cmd.split(" ", -1);
    if (cmd.equals("destroy")) {
      e.destroy();
      return 0;
    }
    if (cmd.equals("discover tasks")) {
      for (DoubleTask t : e.tasks.values()) DoubleMessages.taskNew(e, t);
      return 0;
    }
    if (cmd.equals("disable my bpf_prog_load")) return 0;
    if (w.length == 4 && w[0].equals("create") && w[1].equals("sw_region"))
      return createSwRegion(e, parse(w[2]), parse(w[3]));
    if (w.length == 4 && w[0].equals("become") && w[1].equals("agent"))
      return becomeAgent(e, parse(w[2]), parse(w[3]));
    return -AbiConstants.EINVAL;
  }

  private static int parse(String s) {
    try {
      return Integer.parseInt(s);
    } catch (NumberFormatException x) {
      return Integer.MIN_VALUE;
    }
  }

  private static int createSwRegion(DoubleEnclave e, int region, int node) {
    if (region != 0 || node != 0) return -AbiConstants.EINVAL; // one region, one NUMA node
    if (e.words != null) return -AbiConstants.EEXIST;
    e.swMemory = DoubleEnclave.zeroed(AbiConstants.SW_REGION_SIZE);
    e.words = StatusWordWriter.format(e.swMemory.getByteBuffer(0, e.swMemory.size()), 0, 0);
    try {
      DoubleEnclave.sized(e.dir.resolve("sw_regions").resolve("sw_0"), e.swMemory.size());
    } catch (IOException x) {
      throw new IllegalStateException(x);
    }
    return 0;
  }

  private static int becomeAgent(DoubleEnclave e, int cpu, int qfd) {
    if (cpu == Integer.MIN_VALUE || qfd == Integer.MIN_VALUE) return -AbiConstants.EINVAL;
    if (!e.cpus.contains(cpu)) return -AbiConstants.EINVAL;
    DoubleQueue q = e.queues.get(qfd);
    if (q == null) return -KernelDouble.EBADF;
    if (e.words == null) return -AbiConstants.EINVAL;
    Thread me = Thread.currentThread();
    DoubleAgent old = e.agents[cpu];
    if (old != null && old.thread.isAlive() && old.thread != me) return -AbiConstants.EBUSY;
    for (int c = 0; c < e.agents.length; c++) {
      if (c != cpu && e.agents[c] != null && e.agents[c].thread == me) return -AbiConstants.EINVAL;
    }
    int word =
        e.allocWord(
            new StatusWord(
                0,
                StatusFlags.F_INUSE
                    | StatusFlags.F_ALLOCATED
                    | StatusFlags.TASK_IS_AGENT
                    | StatusFlags.TASK_ONCPU
                    | (e.cfs[cpu] ? 0 : StatusFlags.CPU_AVAIL),
                Gtid.of((int) me.getId() & 0x3fffffff, 1),
                0,
                0));
    e.agents[cpu] = new DoubleAgent(me, q, word);
    return 0;
  }

  private static int setCpulist(DoubleEnclave e, String text) {
    TreeSet<Integer> next = new TreeSet<>();
    for (String part : text.strip().split(",")) {
      String[] r = part.split("-");
      int lo = parse(r[0]);
      int hi = r.length == 2 ? parse(r[1]) : lo;
      if (r.length > 2 || lo == Integer.MIN_VALUE || hi == Integer.MIN_VALUE || lo < 0 || hi < lo) {
        return -AbiConstants.EINVAL;
      }
      for (int c = lo; c <= hi; c++) next.add(c);
    }
    for (int c : next) {
      if (c >= e.agents.length) return -KernelDouble.ENODEV;
      if (e.kernel.owner(c, e) != null) return -AbiConstants.EBUSY;
    }
    for (int c : e.cpus) {
      if (!next.contains(c) && e.agents[c] != null) return -AbiConstants.EEXIST;
    }
    e.cpus.clear();
    e.cpus.addAll(next);
    return 0;
  }
}
