package dev.ghostgym.abi;

/**
 * The ioctl requests of an enclave's {@code ctl} file, type letter 'g'. Values are Linux {@code
 * _IOC} encodings, which exceed 2^31 for read/write requests: {@link #request()} is the unsigned
 * value in a long, to be passed as a native unsigned long, never as a sign-extended int.
 */
public enum Ioctl {
  NULL(0x00006700L),
  SW_GET_INFO(0xC0186701L),
  SW_FREE(0x40086702L),
  CREATE_QUEUE(0xC0186703L),
  ASSOC_QUEUE(0x40206704L),
  SET_DEFAULT_QUEUE(0x40046705L),
  CONFIG_QUEUE_WAKEUP(0x40186706L),
  GET_CPU_TIME(0xC0106707L),
  COMMIT_TXN(0x40106708L),
  SYNC_GROUP_TXN(0x40106709L),
  TIMERFD_SETTIME(0xC030670AL),
  RUN(0x4018670BL);

  /** The ioctl type letter of ghOSt. */
  public static final int TYPE = 'g';

  /** {@code _IOC_NONE}: no argument. */
  public static final int DIR_NONE = 0;

  /** {@code _IOC_WRITE}: userspace writes the argument to the kernel. */
  public static final int DIR_WRITE = 1;

  /** {@code _IOC_READ}: the kernel writes the argument back. */
  public static final int DIR_READ = 2;

  /** {@code _IOC_READ | _IOC_WRITE}. */
  public static final int DIR_RW = DIR_READ | DIR_WRITE;

  private final long request;

  Ioctl(long request) {
    this.request = request;
  }

  /** The request number as an unsigned 32-bit value. */
  public long request() {
    return request;
  }

  /** The command number (low 8 bits). */
  public int nr() {
    return (int) (request & 0xff);
  }

  /** The direction bits (top 2 bits); one of the DIR_ constants. */
  public int dir() {
    return (int) (request >>> 30);
  }

  /** The argument struct size encoded in the request (14 bits). */
  public int size() {
    return (int) ((request >>> 16) & 0x3fff);
  }

  /**
   * Linux's {@code _IOC(dir, type, nr, size)}: {@code dir<<30 | size<<16 | type<<8 | nr}, unsigned.
   * Rejects values that do not fit their bit fields (dir 2 bits, size 14, type and nr 8).
   */
  public static long encode(int dir, int type, int nr, int size) {
    if (dir < 0
        || dir > 3
        || type < 0
        || type > 0xff
        || nr < 0
        || nr > 0xff
        || size < 0
        || size > 0x3fff) {
      throw new IllegalArgumentException(
          "ioctl field out of range: dir=" + dir + " type=" + type + " nr=" + nr + " size=" + size);
    }
    return ((long) dir << 30) | ((long) size << 16) | ((long) type << 8) | nr;
  }
}
