package dev.ghostgym.abi;

/**
 * A payload of a task message (types 64..127). The kernel puts the task's gtid first in every one
 * of them, so code that only routes messages to per-task state can read it without knowing the
 * type.
 */
public sealed interface TaskPayload extends Payload
    permits TaskNew,
        TaskPreempt,
        TaskYield,
        TaskBlocked,
        TaskDead,
        TaskDeparted,
        TaskAffinityChanged,
        TaskPriorityChanged,
        TaskWakeup,
        TaskSwitchto,
        TaskOnCpu,
        TaskLatchFailure {

  /** The task the message is about; see {@link Gtid}. */
  long gtid();
}
