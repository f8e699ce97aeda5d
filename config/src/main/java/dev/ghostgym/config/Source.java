package dev.ghostgym.config;

/**
 * One stream of tasks: how they arrive and what each does.
 *
 * @param name the source's key in the workload file, used in errors and per-class metrics
 * @param arrival when tasks appear
 * @param template what every task of this source is and runs
 */
public record Source(String name, Arrival arrival, TaskTemplate template) {}
