package dev.ghostgym.sim;

/**
 * Where a task is, as the kernel's scheduler sees it. A ghOSt task's state decides what a txn that
 * names it may do ({@link TxnCheck}: a blocked or dead target fails, one on a CPU needs
 * ALLOW_TASK_ONCPU) and which message the machine sends when it changes.
 */
public enum TaskState {
  /** Sleeping (or not yet arrived): no CPU may be committed to it. */
  BLOCKED,
  /** Runnable and off CPU: waiting in a CFS runqueue or for an agent's txn (possibly latched). */
  RUNNABLE,
  /** Running on its CPU (or in the context switch onto it). */
  ON_CPU,
  /** Exited; its status word lives until the agent frees it or the kernel reaps it. */
  DEAD
}
