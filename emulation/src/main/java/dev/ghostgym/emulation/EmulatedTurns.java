package dev.ghostgym.emulation;

import dev.ghostgym.live.AgentTurns;
import java.util.Arrays;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Agent turns under the emulated kernel: the simulator's thread activates the agent of a CPU by
 * handing the turn to that CPU's agent thread and waiting until the pass is done, so exactly one
 * thread touches the machine at a time and the run stays deterministic. An agent thread that ends
 * kills its agent in the machine, as a real kernel does when an agent thread exits.
 */
public final class EmulatedTurns implements AgentTurns {
  private final EmulatedKernel kernel;
  private Semaphore[] go = new Semaphore[0];
  private volatile boolean[] present = new boolean[0];
  private final Semaphore back = new Semaphore(0);

  EmulatedTurns(EmulatedKernel kernel) {
    this.kernel = kernel;
  }

  synchronized void size(int cpus) {
    if (go.length >= cpus) return;
    Semaphore[] g = Arrays.copyOf(go, cpus);
    for (int i = go.length; i < cpus; i++) g[i] = new Semaphore(0);
    go = g;
    present = Arrays.copyOf(present, cpus);
  }

  @Override
  public void register(int cpu) {
    boolean[] p = present;
    p[cpu] = true;
    present = p; // volatile write publishes the element
  }

  @Override
  public boolean await(int cpu) throws InterruptedException {
    go[cpu].acquire();
    return true;
  }

  @Override
  public void done(int cpu) {
    back.release();
  }

  @Override
  public void exited(int cpu, boolean inTurn) {
    boolean[] p = present;
    p[cpu] = false;
    present = p;
    kernel.agentExited(cpu);
    if (inTurn) back.release();
  }

  /** The simulator's side: runs one pass of {@code cpu}'s agent thread, if it has one. */
  void runTurn(int cpu) {
    if (cpu >= present.length || !present[cpu]) return;
    go[cpu].release();
    try {
      while (!back.tryAcquire(100, TimeUnit.MILLISECONDS)) {
        if (!present[cpu]) {
          go[cpu].drainPermits();
          return;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(
          "interrupted while the agent of CPU " + cpu + " ran its pass", e);
    }
  }
}
