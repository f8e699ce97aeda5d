package dev.ghostgym.sim;

import dev.ghostgym.abi.TxnState;
import java.util.Arrays;

/**
 * GHOST_IOC_SYNC_GROUP_TXN as {@code ghost.c}'s ghost_sync_group commits it: every txn of the group
 * is claimed first, and one that is not READY fails the group (it is left as it is); then the txns
 * are committed inline in CPU order starting after the caller's CPU and wrapping
 * (for_each_cpu_wrap), so that the caller's own txn comes last. Once one fails, every later one is
 * POISONED (its agent barrier moves when it asks INC_AGENT_BARRIER_ON_FAILURE, as _ghost_commit_txn
 * does for any failure). The IPIs go out after the loop, and the rendezvous of the CPUs that did
 * commit is then poisoned when the group failed: their tasks are forced off in wait_for_rendezvous
 * before they run ({@link CpuDispatch#resched}), their txns still reading COMPLETE. Each txn costs
 * what it costs in a group commit ({@link Activations#agentCost}).
 */
final class SyncGroups {
  private final Machine m;
  private final TxnCommit txns;

  SyncGroups(Machine m, TxnCommit txns) {
    this.m = m;
    this.txns = txns;
  }

  /**
   * Commits the sync group of agent c's pass. Returns the final state of c's own txn, or READY when
   * c's CPU is not in the group.
   */
  int commit(SimCpu c) {
    int n = c.syncCount;
    int[] sorted = Arrays.copyOf(c.syncCpus, n);
    Arrays.sort(sorted);
    int[] order = new int[n];
    int k = 0;
    for (int x : sorted) if (x > c.id) order[k++] = x;
    for (int x : sorted) if (x <= c.id) order[k++] = x;
    // Claim every txn first (ghost_claim_txn(cpu, -1): the commit flags' COMMIT_AT is ignored).
    boolean failed = false;
    boolean[] claimed = new boolean[n];
    for (int i = 0; i < n; i++) {
      claimed[i] = m.cpus[order[i]].txnState == TxnState.READY.code();
      failed |= !claimed[i];
    }
    SimTask[] committed = new SimTask[n];
    int committedCount = 0;
    int localState = TxnState.READY.code();
    txns.holdIpis();
    for (int i = 0; i < n; i++) {
      if (!claimed[i]) continue;
      SimCpu d = m.cpus[order[i]];
      int st = txns.applyTxn(d, d == c, failed);
      if (d == c) localState = st;
      if (st != TxnState.COMPLETE.code()) {
        failed = true;
      } else if (d.latched != null && d.latched.gtid == d.txnGtid) {
        committed[committedCount++] = d.latched;
      }
    }
    // The rendezvous is poisoned before the targets take their IPIs.
    if (failed) for (int i = 0; i < committedCount; i++) committed[i].rendezvousPoisoned = true;
    txns.sendHeldIpis();
    return localState;
  }
}
