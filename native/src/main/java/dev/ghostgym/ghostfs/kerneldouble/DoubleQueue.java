package dev.ghostgym.ghostfs.kerneldouble;

import com.sun.jna.Memory;
import dev.ghostgym.abi.AbiVersion;
import dev.ghostgym.ghostfs.RingProducer;

/** A queue made by CREATE_QUEUE: its memory, the kernel's producer, the CPUs it wakes. */
final class DoubleQueue {
  final int fd;
  final Memory memory;
  final RingProducer producer;

  /** The CPUs CONFIG_QUEUE_WAKEUP named; a message kicks each one's agent. */
  int[] wake = new int[0];

  DoubleQueue(int fd, Memory memory, AbiVersion abi) {
    this.fd = fd;
    this.memory = memory;
    this.producer = new RingProducer(memory.getByteBuffer(0, memory.size()), abi);
  }
}
