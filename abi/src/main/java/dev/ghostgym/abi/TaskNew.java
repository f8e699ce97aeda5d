package dev.ghostgym.abi;

/**
 * TASK_NEW: a task entered ghOSt (or was re-announced by {@code discover tasks}). {@code runnable}
 * says whether it is on a runqueue, {@code runtime} is its CPU time in ns, {@code swInfo} locates
 * its status word, and {@code agentData} is opaque agent data (ABI 90+; 0 under ABI 84).
 */
public record TaskNew(
    long gtid,
    long parentGtid,
    long runtime,
    boolean runnable,
    int nice,
    SwInfo swInfo,
    long agentData)
    implements TaskPayload {}
