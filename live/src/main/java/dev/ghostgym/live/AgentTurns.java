package dev.ghostgym.live;

import dev.ghostgym.abi.Gtid;

/**
 * When an agent thread may run its next pass. On a real kernel the kernel itself paces agents (a
 * blocking commit or RUN returns when the agent is woken), so the threads run freely ({@link
 * #free}); under the emulated kernel the simulator decides when each agent runs and hands the turn
 * over.
 */
public interface AgentTurns {
  /** The thread of {@code cpu}'s agent started (before it becomes the agent). */
  default void register(int cpu) {}

  /** Blocks until the agent of {@code cpu} may run a pass; false when it should stop. */
  boolean await(int cpu) throws InterruptedException;

  /** The pass of {@code cpu}'s agent is done (its commits and yield were issued). */
  default void done(int cpu) {}

  /** The thread of {@code cpu}'s agent ends, {@code inTurn} if it stops in the middle of a pass. */
  default void exited(int cpu, boolean inTurn) {}

  /** Makes the agent of {@code cpu} return from a blocking call so that it sees it must stop. */
  default void wake(int cpu) {}

  /** Free-running agent threads on a real kernel; {@link #wake} pings the agent. */
  static AgentTurns free(GhostDevice dev) {
    return new AgentTurns() {
      @Override
      public boolean await(int cpu) {
        return true;
      }

      @Override
      public void wake(int cpu) {
        dev.run(Gtid.AGENT, 0, cpu, 0);
      }
    };
  }
}
