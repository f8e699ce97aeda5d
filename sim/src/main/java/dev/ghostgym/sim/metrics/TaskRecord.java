package dev.ghostgym.sim.metrics;

/**
 * One finished task, as it leaves the system (exit, or departure from ghOSt). Times in ns of
 * simulated time; {@code firstRun} is -1 for a task that never ran.
 */
public record TaskRecord(
    long gtid,
    String className,
    int hint,
    boolean departed,
    long arrival,
    long firstRun,
    long end,
    long waitNs,
    long runtimeNs,
    int preemptions,
    int migrations) {
  public static final String CSV_HEADER =
      "gtid,class,hint,departed,arrival_ns,first_run_ns,end_ns,response_ns,wait_ns,runtime_ns,preemptions,migrations";

  public String csv() {
    return gtid
        + ","
        + className
        + ","
        + hint
        + ","
        + departed
        + ","
        + arrival
        + ","
        + firstRun
        + ","
        + end
        + ","
        + (end - arrival)
        + ","
        + waitNs
        + ","
        + runtimeNs
        + ","
        + preemptions
        + ","
        + migrations;
  }
}
