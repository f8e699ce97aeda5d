package dev.ghostgym.config;

import java.util.List;

/** One step of a task's {@link Program}. */
public sealed interface Step {
  /** Expected CPU time this step consumes, in ns. */
  double meanServiceNs();

  /** Use the CPU for a drawn duration (the task is runnable until it has received it). */
  record Run(Dist duration) implements Step {
    public double meanServiceNs() {
      return duration.mean();
    }
  }

  /** Block (sleep or I/O) for a drawn duration, then wake up. */
  record Sleep(Dist duration) implements Step {
    public double meanServiceNs() {
      return 0;
    }
  }

  /** Call sched_yield: give up the CPU but stay runnable. */
  enum Yield implements Step {
    INSTANCE;

    public double meanServiceNs() {
      return 0;
    }
  }

  /** Leave the ghOSt class (sched_setscheduler to CFS); the task continues in CFS. */
  enum Depart implements Step {
    INSTANCE;

    public double meanServiceNs() {
      return 0;
    }
  }

  /**
   * The task writes its own PrioTable entry: its work class (the hint agents read) becomes {@code
   * workClass} from this point of its program on. Costs no CPU time.
   */
  record Hint(int workClass) implements Step {
    public Hint {
      if (workClass < 0)
        throw new IllegalArgumentException("hint: expected >= 0, got " + workClass);
    }

    public double meanServiceNs() {
      return 0;
    }
  }

  /**
   * The task calls sched_setaffinity on itself: from now on it may run only on {@code cpus}
   * (ascending, distinct, >= 0). Costs no CPU time; ghOSt sends TASK_AFFINITY_CHANGED, and a
   * running task is forced off its CPU (TASK_PREEMPT) so the agent can place it again.
   */
  record Affinity(List<Integer> cpus) implements Step {
    public Affinity {
      cpus = List.copyOf(cpus);
      if (cpus.isEmpty())
        throw new IllegalArgumentException("affinity: expected at least one CPU, got []");
      int prev = -1;
      for (int c : cpus) {
        if (c <= prev)
          throw new IllegalArgumentException(
              "affinity: expected distinct CPU ids >= 0 in ascending order, got " + cpus);
        prev = c;
      }
    }

    public double meanServiceNs() {
      return 0;
    }
  }

  /**
   * The task sets its own nice value (setpriority / set_user_nice): -20..19. Costs no CPU time;
   * ghOSt sends TASK_PRIORITY_CHANGED, a running task is forced off its CPU, and the task's CFS
   * weight changes (it counts once the task runs in CFS).
   */
  record Nice(int nice) implements Step {
    public Nice {
      if (nice < -20 || nice > 19)
        throw new IllegalArgumentException("nice: expected -20..19, got " + nice);
    }

    public double meanServiceNs() {
      return 0;
    }
  }

  /** Start a child task (fork of a ghOSt task: the child enters ghOSt too). */
  record Spawn(TaskTemplate child) implements Step {
    public double meanServiceNs() {
      return 0;
    }
  }

  /** Repeat a body {@code times} times; {@code times < 0} repeats forever. */
  record Loop(int times, List<Step> body) implements Step {
    public Loop {
      body = List.copyOf(body);
    }

    public double meanServiceNs() {
      if (times < 0) return Double.POSITIVE_INFINITY;
      double one = 0;
      for (Step s : body) one += s.meanServiceNs();
      return one * times;
    }
  }
}
