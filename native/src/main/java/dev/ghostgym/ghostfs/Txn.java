package dev.ghostgym.ghostfs;

/**
 * A snapshot of one {@code ghost_txn} in {@code cpu_data}. {@code state} is the raw code: READY
 * (INT_MAX), a claiming CPU (0..nr_cpus-1) or a final {@link dev.ghostgym.abi.TxnState} (negative).
 * {@code runFlags} is the u16 and {@code commitFlags} the u8, both unsigned.
 */
public record Txn(
    int version,
    int cpu,
    int state,
    int agentBarrier,
    int taskBarrier,
    int runFlags,
    int commitFlags,
    long gtid,
    long commitTime,
    long cpuSeqnum,
    int syncGroupOwner) {}
