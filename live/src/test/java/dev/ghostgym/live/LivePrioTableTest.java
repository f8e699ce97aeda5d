package dev.ghostgym.live;

import static dev.ghostgym.abi.PrioTableLayout.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.ghostgym.port.PrioTable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live PrioTable reader over files written byte for byte as ghost-userspace lays a PrioTable
 * out (shared/shmem.cc CreateShmem, shared/prio_table.cc PrioTable::PrioTable, and
 * experiments/rocksdb/ghost_orchestrator.cc InitPrioTable / LoadGenerator for the contents).
 */
class LivePrioTableTest {
  @TempDir Path dir;

  /** A table as ghost_orchestrator.cc makes it: SID 0 the load generator, then the workers. */
  static final class Table {
    final ByteBuffer b;
    final int si = HDR_BYTES, wc;

    Table(int items, int classes) {
      wc = si + items * SI_BYTES;
      int st = wc + classes * WC_BYTES;
      int client = st + 4 + 4 * 83; // stream: scrape_all + 83 entries (kStreamCapacity83)
      b = ByteBuffer.allocate(SHMEM_HEADER_BYTES + client).order(ByteOrder.LITTLE_ENDIAN);
      b.putLong(SHMEM_HEADER_VERSION, 1);
      b.putLong(SHMEM_MAPPING_SIZE, b.capacity());
      b.putLong(SHMEM_HEADER_SIZE, SHMEM_HEADER_BYTES);
      b.putLong(SHMEM_CLIENT_SIZE, client);
      b.put(SHMEM_READY, (byte) 1);
      b.putInt(SHMEM_OWNING_PID, 4242);
      int h = SHMEM_HEADER_BYTES;
      b.putShort(h + HDR_VERSION, (short) 0);
      b.putShort(h + HDR_HDRLEN, (short) HDR_BYTES);
      b.putInt(h + HDR_MAPLEN, client);
      b.putInt(h + HDR_SI_NUM, items);
      b.putInt(h + HDR_SI_OFF, si);
      b.putInt(h + HDR_WC_NUM, classes);
      b.putInt(h + HDR_WC_OFF, wc);
      b.putInt(h + HDR_ST_CAP, 83);
      b.putInt(h + HDR_ST_OFF, st);
    }

    int item(int sid) {
      return SHMEM_HEADER_BYTES + si + sid * SI_BYTES;
    }

    void workClass(int id, int qos, long exectime) {
      int at = SHMEM_HEADER_BYTES + wc + id * WC_BYTES;
      b.putInt(at + WC_ID, id);
      b.putInt(at + WC_FLAGS, WORK_CLASS_ONESHOT);
      b.putInt(at + WC_QOS, qos);
      b.putLong(at + WC_EXECTIME, exectime);
    }

    /** PrioTableHelper::SetSchedItem: write_begin, copy, write_end (seqcount + 2). */
    void write(int sid, int wcid, long gpid, int flags, long deadline) {
      int at = item(sid);
      int seq = b.getInt(at + SI_SEQCOUNT);
      b.putInt(at + SI_SEQCOUNT, seq + 1);
      b.putInt(at + SI_SID, sid);
      b.putInt(at + SI_WCID, wcid);
      b.putLong(at + SI_GPID, gpid);
      b.putInt(at + SI_FLAGS, flags);
      b.putLong(at + SI_DEADLINE, deadline);
      b.putInt(at + SI_SEQCOUNT, seq + 2);
    }

    Path save(Path file) throws IOException {
      return Files.write(file, b.array());
    }
  }

  @Test
  void readsItemsAndWorkClassesAtTheOffsetsTheHeaderGives() throws IOException {
    Table t = new Table(3, 2);
    t.workClass(0, 2, 100);
    t.workClass(1, 5, 30_000);
    t.write(1, 0, 0x1001, 0, 0);
    t.write(2, 1, 0x2002, SCHED_ITEM_RUNNABLE, 123_456_789L);
    LivePrioTable p = LivePrioTable.open(t.save(dir.resolve("pt")));

    assertTrue(p.present());
    assertEquals(3, p.schedItems());
    assertEquals(2, p.workClasses());
    assertEquals(0, p.workClass(0x1001));
    assertFalse(p.runnable(0x1001), "flags 0: the worker is idle");
    assertEquals(2, p.qos(0x1001));
    assertEquals(1, p.workClass(0x2002));
    assertTrue(p.runnable(0x2002));
    assertEquals(5, p.qos(0x2002));
    assertEquals(30_000, p.exectimeNs(0x2002));
    assertEquals(123_456_789L, p.deadlineNs(0x2002));
    // a thread with no item: no hint, not gated
    assertEquals(0, p.workClass(0x3003));
    assertTrue(p.runnable(0x3003));
    assertEquals(0, p.tornReads());
  }

  @Test
  void aWriteIsSeenThroughTheMappingAndMovesUpdates() throws IOException {
    Table t = new Table(2, 1);
    t.write(1, 0, 0x1001, 0, 0);
    Path f = t.save(dir.resolve("pt"));
    LivePrioTable p = LivePrioTable.open(f);
    long u = p.updates();
    assertEquals(u, p.updates(), "nothing written: no update");
    assertFalse(p.runnable(0x1001));

    // the load generator hands worker 1 a request: RUNNABLE, as LoadGenerator's SetSchedItem
    try (var ch = java.nio.channels.FileChannel.open(f, java.nio.file.StandardOpenOption.WRITE)) {
      t.write(1, 0, 0x1001, SCHED_ITEM_RUNNABLE, 7);
      ch.write(ByteBuffer.wrap(t.b.array(), t.item(1), SI_BYTES), t.item(1));
    }
    assertEquals(u + 1, p.updates());
    assertTrue(p.runnable(0x1001));
    assertEquals(7, p.deadlineNs(0x1001));
  }

  @Test
  void aTornReadIsCaughtByTheSeqcountAndRetried() {
    Table t = new Table(2, 1);
    t.write(1, 0, 0x1001, 0, 0);
    LivePrioTable p = new LivePrioTable(t.b);
    AtomicLong calls = new AtomicLong();
    // A writer completes a whole write while the reader is between its two seqcount reads: the
    // first copy holds the old flags, and the seqcount moved, so the reader must retry.
    p.betweenReads =
        () -> {
          if (calls.incrementAndGet() == 1) t.write(1, 0, 0x1001, SCHED_ITEM_RUNNABLE, 99);
        };
    LivePrioTable.Item i = p.read(1);
    assertEquals(2, calls.get(), "one torn attempt, one consistent one");
    assertTrue(i.runnable(), "the copy is the new one, not the torn one");
    assertEquals(99, i.deadline());
    assertEquals(0, p.tornReads(), "the retry succeeded");
  }

  @Test
  void aWriterThatNeverFinishesLeavesThePreviousCopyMarkedRunnable() {
    Table t = new Table(2, 1);
    t.write(1, 0, 0x1001, 0, 0);
    LivePrioTable p = new LivePrioTable(t.b);
    assertFalse(p.runnable(0x1001));
    // write_begin without write_end: the seqcount stays odd (a writer holds it).
    int at = t.item(1);
    t.b.putInt(at + SI_SEQCOUNT, t.b.getInt(at + SI_SEQCOUNT) + 1);
    t.b.putInt(at + SI_WCID, 0);
    p.updates(); // the seqcount moved: every item is read again
    assertEquals(1, p.tornReads());
    // ShinjukuSchedParams::SeqCopyParams: a torn copy of a non-runnable item is taken as runnable,
    // so the agent does not take the CPU from the writer (which may be the thread itself).
    assertTrue(p.runnable(0x1001));
  }

  @Test
  void aFileThatIsNotAPrioTableIsRejectedNamingTheField() {
    Table t = new Table(2, 1);
    t.b.put(SHMEM_READY, (byte) 0);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new LivePrioTable(t.b));
    assertEquals("not a PrioTable: shmem ready is 0", e.getMessage());
    Table u = new Table(2, 1);
    u.b.putInt(SHMEM_HEADER_BYTES + HDR_SI_NUM, 1000);
    e = assertThrows(IllegalArgumentException.class, () -> new LivePrioTable(u.b));
    assertTrue(e.getMessage().startsWith("not a PrioTable: hdr si_off + si_num"), e.getMessage());
  }

  @Test
  void theMemfdIsFoundAmongTheProcessesOpenFiles() throws IOException {
    Path fd = Files.createDirectories(dir.resolve("proc/77/fd"));
    Files.createSymbolicLink(fd.resolve("0"), Path.of("pipe:[1234]"));
    Files.createSymbolicLink(fd.resolve("5"), Path.of("/memfd:ghost-shmem-blob-0 (deleted)"));
    Files.createSymbolicLink(fd.resolve("6"), Path.of("/memfd:ghost-shmem-priotable (deleted)"));
    assertEquals(fd.resolve("6"), PrioTableLink.find(dir.resolve("proc"), 77).orElseThrow());
    assertTrue(PrioTableLink.find(dir.resolve("proc"), 78).isEmpty(), "no such process");
    assertTrue(PrioTableLink.find(dir.resolve("proc"), 0).isEmpty(), "not started yet");
  }

  @Test
  void aLinkSeesNoneUntilTheApplicationCreatedItsTable() throws IOException {
    Table t = new Table(2, 1);
    t.write(1, 0, 0x1001, SCHED_ITEM_RUNNABLE, 0);
    Path f = dir.resolve("pt");
    AtomicReference<Path> where = new AtomicReference<>();
    AtomicLong now = new AtomicLong();
    PrioTableLink link =
        new PrioTableLink(
            () -> java.util.Optional.ofNullable(where.get()), now::get, () -> "process 77");
    assertFalse(link.present());
    assertEquals(
        "process 77 has no PrioTable (no ghost-shmem-priotable); every hint was 0",
        link.describe());
    where.set(t.save(f));
    assertFalse(link.present(), "looked again only after the retry interval");
    now.addAndGet(PrioTableLink.RETRY_NS);
    assertTrue(link.present());
    assertEquals(0, link.workClass(0x1001));
    assertTrue(link.describe().startsWith("read the PrioTable of process 77 (" + f + "): 2 sched"));
    assertNotSame(PrioTable.NONE, link);
  }
}
