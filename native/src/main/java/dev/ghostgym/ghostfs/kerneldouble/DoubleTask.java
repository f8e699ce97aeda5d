package dev.ghostgym.ghostfs.kerneldouble;

/** A ghOSt task in an enclave of the double: its status word, queue and CPU. */
final class DoubleTask {
  final long gtid;
  final int word;

  /** The queue its messages go to (ASSOC_QUEUE moves it); null until the enclave has a default. */
  DoubleQueue queue;

  /** The CPU it runs on, or -1. */
  int cpu = -1;

  /** The CPU it last ran on (the kernel's {@code task_cpu}), or -1 before it first ran. */
  int lastCpu = -1;

  long runtime;

  DoubleTask(long gtid, int word, DoubleQueue queue) {
    this.gtid = gtid;
    this.word = word;
    this.queue = queue;
  }
}
