package dev.ghostgym.actors.policy;

/**
 * One CPU as a policy sees it.
 *
 * @param cpu CPU id
 * @param current the task running there, or null
 * @param runningSince when {@code current} started its current slice (ns)
 * @param queueLength tasks in this CPU's run queue (per-CPU model; 0 in the centralized model)
 * @param available false while CFS has the CPU (CPU_AVAIL clear)
 */
public record CpuView(
    int cpu, TaskView current, long runningSince, int queueLength, boolean available) {}
