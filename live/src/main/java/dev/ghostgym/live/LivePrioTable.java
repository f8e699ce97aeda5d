package dev.ghostgym.live;

import static dev.ghostgym.abi.PrioTableLayout.*;

import dev.ghostgym.port.PrioTable;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;

/**
 * A real application's PrioTable, read as ghost-userspace's Shinjuku agent reads it ({@code
 * ShinjukuSchedParams::SeqCopyParams}): the shared memory the application created ({@link
 * dev.ghostgym.abi.PrioTableLayout}) is mapped read-only, and every sched item is copied under its
 * seqcount: read the count (acquire), copy the fields, fence, read the count again; an odd count (a
 * writer holds it) or a changed one means the copy may be torn, and it is retried, up to {@link
 * #MAX_RETRIES} times. When every retry fails the reader keeps the item's previous consistent copy,
 * counts a torn read, and, as Shinjuku does, treats an item whose previous copy was not runnable as
 * runnable (the writer may be that very thread; the agent must not take its CPU away).
 *
 * <p>Differences from ghost-userspace's reader: the mapping is read-only, so the update stream
 * (which a reader drains by writing to it) is left alone and a change is detected by the sum of the
 * items' seqcounts instead, which moves with every write; and the mapping is loaded but not {@code
 * mlock}ed. Not thread-safe on its own: agents read it inside their pass lock (the wrapper {@link
 * PrioTableLink} synchronizes).
 */
public final class LivePrioTable implements PrioTable {
  /** Attempts at a consistent copy of one item before falling back to the previous copy. */
  public static final int MAX_RETRIES = 64;

  private static final VarHandle INT =
      MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

  /** One consistent copy of a sched item, with its work class's fields. */
  record Item(
      int sid, int wcid, long gpid, int flags, long deadline, int qos, long exectime, int seq) {
    boolean runnable() {
      return (flags & SCHED_ITEM_RUNNABLE) != 0;
    }
  }

  private final ByteBuffer buf;
  private final int siNum, siOff, wcNum, wcOff;
  private final Item[] items;
  private final Map<Long, Integer> sidOfGtid = new HashMap<>();
  private long seqSum = -1;
  private long updates;
  private long torn;

  /** Test hook: runs after an item's fields are copied and before its seqcount is read again. */
  Runnable betweenReads = () -> {};

  /**
   * Reads the table in {@code buf}, a whole PrioTable file (shmem header page included). Throws
   * IllegalArgumentException naming the field that is not as ghost-userspace writes it.
   */
  public LivePrioTable(ByteBuffer buf) {
    this.buf = buf.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    int size = this.buf.capacity();
    check(size >= SHMEM_HEADER_BYTES + HDR_BYTES, "file size", size);
    check(
        this.buf.getLong(SHMEM_HEADER_VERSION) == SHMEM_HEADER_VERSION_VALUE,
        "shmem header_version",
        this.buf.getLong(SHMEM_HEADER_VERSION));
    check(
        this.buf.getLong(SHMEM_HEADER_SIZE) == SHMEM_HEADER_BYTES,
        "shmem header_size",
        this.buf.getLong(SHMEM_HEADER_SIZE));
    check(this.buf.get(SHMEM_READY) != 0, "shmem ready", this.buf.get(SHMEM_READY));
    check(
        this.buf.getLong(SHMEM_CLIENT_VERSION) == PRIO_TABLE_VERSION,
        "shmem client_version",
        this.buf.getLong(SHMEM_CLIENT_VERSION));
    int b = SHMEM_HEADER_BYTES;
    check(
        this.buf.getShort(b + HDR_VERSION) == PRIO_TABLE_VERSION, "hdr version", hdr(HDR_VERSION));
    check((this.buf.getShort(b + HDR_HDRLEN) & 0xffff) == HDR_BYTES, "hdr hdrlen", hdr(HDR_HDRLEN));
    long maplen = Integer.toUnsignedLong(this.buf.getInt(b + HDR_MAPLEN));
    check(maplen <= size - SHMEM_HEADER_BYTES, "hdr maplen", maplen);
    siNum = this.buf.getInt(b + HDR_SI_NUM);
    siOff = this.buf.getInt(b + HDR_SI_OFF);
    wcNum = this.buf.getInt(b + HDR_WC_NUM);
    wcOff = this.buf.getInt(b + HDR_WC_OFF);
    check(siNum >= 0 && siOff >= HDR_BYTES, "hdr si_num/si_off", siNum + "/" + siOff);
    check((long) siOff + (long) siNum * SI_BYTES <= maplen, "hdr si_off + si_num", siOff);
    check(wcNum >= 0 && (long) wcOff + (long) wcNum * WC_BYTES <= maplen, "hdr wc_off", wcOff);
    items = new Item[siNum];
  }

  /** Maps the PrioTable file at {@code file} (e.g. {@code /proc/PID/fd/N}) read-only. */
  public static LivePrioTable open(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      MappedByteBuffer m = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size());
      m.load(); // fault the pages in now, not in the middle of an agent pass
      return new LivePrioTable(m);
    }
  }

  private int hdr(int off) {
    return buf.getShort(SHMEM_HEADER_BYTES + off) & 0xffff;
  }

  private static void check(boolean ok, String field, Object got) {
    if (!ok) throw new IllegalArgumentException("not a PrioTable: " + field + " is " + got);
  }

  /** Number of sched items ({@code si_num}). */
  public int schedItems() {
    return siNum;
  }

  /** Number of work classes ({@code wc_num}). */
  public int workClasses() {
    return wcNum;
  }

  private int itemAt(int sid) {
    return SHMEM_HEADER_BYTES + siOff + sid * SI_BYTES;
  }

  /**
   * A consistent copy of sched item {@code sid}, or, after {@link #MAX_RETRIES} torn attempts, the
   * previous copy (RUNNABLE set if it was clear, as Shinjuku does); null if there was none.
   */
  Item read(int sid) {
    int at = itemAt(sid);
    for (int attempt = 0; attempt < MAX_RETRIES; attempt++) {
      int begin = (int) INT.getAcquire(buf, at + SI_SEQCOUNT);
      if ((begin & SEQCOUNT_LOCKED) != 0) {
        Thread.onSpinWait();
        continue;
      }
      int wcid = buf.getInt(at + SI_WCID);
      Item copy =
          new Item(
              buf.getInt(at + SI_SID),
              wcid,
              buf.getLong(at + SI_GPID),
              buf.getInt(at + SI_FLAGS),
              buf.getLong(at + SI_DEADLINE),
              0,
              0,
              begin);
      betweenReads.run();
      VarHandle.acquireFence();
      if ((int) INT.getOpaque(buf, at + SI_SEQCOUNT) != begin) continue;
      return items[sid] = withClass(copy);
    }
    torn++;
    Item prev = items[sid];
    if (prev != null)
      items[sid] =
          prev = withFlags(prev, prev.flags() | (prev.runnable() ? 0 : SCHED_ITEM_RUNNABLE));
    return prev;
  }

  /** The work class's QoS and exectime: read-only after init, so read without a seqcount. */
  private Item withClass(Item i) {
    if (i.wcid() < 0 || i.wcid() >= wcNum) return i;
    int wc = SHMEM_HEADER_BYTES + wcOff + i.wcid() * WC_BYTES;
    return new Item(
        i.sid(),
        i.wcid(),
        i.gpid(),
        i.flags(),
        i.deadline(),
        buf.getInt(wc + WC_QOS),
        buf.getLong(wc + WC_EXECTIME),
        i.seq());
  }

  private static Item withFlags(Item i, int flags) {
    // odd: the agent must copy it again; its fields stand in meanwhile
    return new Item(
        i.sid(), i.wcid(), i.gpid(), flags, i.deadline(), i.qos(), i.exectime(), i.seq() | 1);
  }

  /** Re-reads every item if any seqcount moved since the last scan (a write began or ended). */
  private void scan() {
    long sum = 0;
    for (int sid = 0; sid < siNum; sid++)
      sum += Integer.toUnsignedLong((int) INT.getAcquire(buf, itemAt(sid) + SI_SEQCOUNT));
    if (sum == seqSum) return;
    seqSum = sum;
    updates++;
    sidOfGtid.clear();
    for (int sid = 0; sid < siNum; sid++) {
      Item i = read(sid);
      if (i != null && i.gpid() != 0) sidOfGtid.put(i.gpid(), sid);
    }
  }

  private Item itemOf(long gtid) {
    Integer sid = sidOfGtid.get(gtid);
    if (sid == null) {
      scan(); // a task the agent has just heard of: its item may be new
      sid = sidOfGtid.get(gtid);
    }
    return sid == null ? null : items[sid];
  }

  @Override
  public boolean present() {
    return true;
  }

  @Override
  public long updates() {
    scan();
    return updates;
  }

  @Override
  public int workClass(long gtid) {
    Item i = itemOf(gtid);
    return i == null ? 0 : i.wcid();
  }

  @Override
  public boolean runnable(long gtid) {
    Item i = itemOf(gtid);
    return i == null || i.runnable();
  }

  @Override
  public int qos(long gtid) {
    Item i = itemOf(gtid);
    return i == null ? 0 : i.qos();
  }

  @Override
  public long exectimeNs(long gtid) {
    Item i = itemOf(gtid);
    return i == null ? 0 : i.exectime();
  }

  @Override
  public long deadlineNs(long gtid) {
    Item i = itemOf(gtid);
    return i == null ? 0 : i.deadline();
  }

  /**
   * The seqcount of the reader's copy of {@code gtid}'s item: even after a consistent copy, odd
   * after all retries found a writer (the agent then keeps its previous copy and asks again).
   */
  @Override
  public int seqcount(long gtid) {
    Integer sid = sidOfGtid.get(gtid);
    if (sid == null) return 0;
    Item i = items[sid];
    return i == null ? 0 : i.seq();
  }

  @Override
  public long tornReads() {
    return torn;
  }
}
