package dev.ghostgym.config;

/**
 * What a task is and does.
 *
 * @param className short name used in per-class metrics (e.g. "get", "scan", "batch")
 * @param enclave true: a ghOSt task scheduled by the agents; false: a CFS task (antagonist)
 * @param nice nice value, -20..19
 * @param hint application hint (small class id), 0 if none; the application writes it into the
 *     thread's PrioTable entry (never into kernel messages, whose agent_data is 0)
 * @param qos the QoS of the work class {@code hint} names ({@code work_class.qos} in
 *     ghost-userspace's shared/prio_table.h; Shinjuku serves the highest QoS first), 0 if not given
 * @param deadline relative deadline drawn per task, or null when the workload declares none
 * @param program the steps the task performs; it exits after the last one
 */
public record TaskTemplate(
    String className,
    boolean enclave,
    int nice,
    int hint,
    int qos,
    Dist deadline,
    Program program) {
  /** A template whose work class has QoS 0. */
  public TaskTemplate(
      String className, boolean enclave, int nice, int hint, Dist deadline, Program program) {
    this(className, enclave, nice, hint, 0, deadline, program);
  }
}
