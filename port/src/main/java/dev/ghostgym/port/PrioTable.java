package dev.ghostgym.port;

/**
 * The application's priority table as an agent reads it: ghost-userspace's shared-memory PrioTable
 * ({@code shared/prio_table.h}), where an application writes one sched item per thread (its work
 * class, a RUNNABLE flag, a deadline, under a seqcount) and one entry per work class (QoS, expected
 * execution time). ghOSt's kernel never carries application hints in its messages ({@code
 * agent_data} is 0); a hint-using agent such as ghost-userspace's Shinjuku reads them here, once
 * per scheduling pass ({@code UpdateSchedParams}). The hint this project's policies use is the work
 * class id of the task's sched item.
 */
public interface PrioTable {
  /**
   * No table: the application publishes none, so every hint reads 0 and nothing is runnable-gated.
   */
  PrioTable NONE =
      new PrioTable() {
        @Override
        public boolean present() {
          return false;
        }

        @Override
        public long updates() {
          return 0;
        }

        @Override
        public int workClass(long gtid) {
          return 0;
        }

        @Override
        public boolean runnable(long gtid) {
          return true;
        }
      };

  /** Whether the application created a table at all. */
  boolean present();

  /**
   * A count of completed writes (sched items and work classes). An agent that saw the same count on
   * its previous pass has nothing to re-read; ghost-userspace agents track updates the same way
   * through the table's update stream and each item's seqcount.
   */
  long updates();

  /** The work class id in {@code gtid}'s sched item as last written, 0 when it has no item. */
  int workClass(long gtid);

  /** The SCHED_ITEM_RUNNABLE flag of {@code gtid}'s sched item (true when it has no item). */
  boolean runnable(long gtid);

  /**
   * The QoS of the work class of {@code gtid}'s sched item ({@code work_class.qos}), 0 when it has
   * no item. ghost-userspace's Shinjuku keeps one run queue per QoS and serves the highest first.
   */
  default int qos(long gtid) {
    return 0;
  }

  /**
   * The expected execution time of the work class of {@code gtid}'s item ({@code
   * work_class.exectime}, ns), 0 when it has no item.
   */
  default long exectimeNs(long gtid) {
    return 0;
  }

  /** The deadline in {@code gtid}'s sched item ({@code sched_item.deadline}, ns), 0 if none. */
  default long deadlineNs(long gtid) {
    return 0;
  }

  /**
   * The seqcount of {@code gtid}'s sched item now (0 when it has none): odd while the application
   * is writing the item ({@code seqcount::write_begin} .. {@code write_end}), when a copy of its
   * fields may be torn; it grows by two with every write. A reader compares it with the count of
   * its last copy to skip unchanged items, as Shinjuku's {@code SeqCopyParams} does.
   */
  default int seqcount(long gtid) {
    return 0;
  }

  /**
   * What copying one sched item costs the reading agent, in ns (simulated time; 0 where the reader
   * runs for real).
   */
  default long readCostNs() {
    return 0;
  }

  /**
   * Reads that found the item's seqcount odd or moved (a write under way) and so returned the
   * values of the previous consistent read.
   */
  default long tornReads() {
    return 0;
  }
}
