package dev.ghostgym.sim;

/**
 * What /proc would say about a task, as the simulator knows it: used for the seed prototype's
 * observations (run state, CPU, utime) and by tests.
 *
 * @param state blocked, runnable, on CPU or dead
 * @param cpu CPU it runs on or last ran on, -1 if none yet
 * @param runtimeNs CPU time so far, including a burst in progress
 * @param preemptions times it was preempted
 * @param ghost in the ghOSt class (false: CFS)
 */
public record TaskStat(TaskState state, int cpu, long runtimeNs, int preemptions, boolean ghost) {}
