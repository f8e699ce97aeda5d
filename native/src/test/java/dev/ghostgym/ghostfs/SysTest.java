package dev.ghostgym.ghostfs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ghostgym.abi.AbiVersion;
import dev.ghostgym.abi.Ioctl;
import dev.ghostgym.abi.MessageType;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The JNA libc binding on this machine: errno reporting, file I/O, ioctl codes, mmap, affinity. */
class SysTest {

  @TempDir Path dir;

  @Test
  void errnoBecomesAnExceptionNamingTheCallAndTheFile() {
    Path missing = dir.resolve("no-such-file");
    NativeException e = assertThrows(NativeException.class, () -> Sys.open(missing, LibC.O_RDONLY));
    assertEquals(2, e.errno());
    assertEquals("open", e.call());
    assertEquals(
        "open(" + missing + ", O_RDONLY) failed: No such file or directory (ENOENT, errno 2)",
        e.getMessage());
    NativeException isDir = assertThrows(NativeException.class, () -> Sys.writeFile(dir, "x"));
    assertEquals(21, isDir.errno(), isDir.getMessage());
  }

  @Test
  void writeThenReadAFileThatExists() throws Exception {
    Path f = dir.resolve("tunable");
    assertThrows(
        NativeException.class, () -> Sys.writeFile(f, "1"), "ghostfs files are never created");
    Files.createFile(f);
    Sys.writeFile(f, "1234\n");
    assertEquals("1234\n", Sys.readFile(f));
    Files.write(f, new byte[10_000]);
    assertEquals(10_000, Sys.readFile(f).length(), "reads past one 4 KiB buffer");
  }

  @Test
  void ioctlPassesCodesAbove2To31AndNamesTheRequest() throws Exception {
    int fd = Sys.open(Path.of("/dev/null"), LibC.O_RDWR);
    try {
      NativeException e =
          assertThrows(
              NativeException.class,
              () ->
                  Sys.ioctl(
                      fd, Path.of("/dev/null"), Ioctl.CREATE_QUEUE, IoctlArgs.createQueue(64, 0)));
      assertEquals(25, e.errno(), "ENOTTY: /dev/null knows no ghOSt ioctl");
      assertTrue(
          e.getMessage().startsWith("ioctl(/dev/null, CREATE_QUEUE 0xc0186703) failed: "),
          e.getMessage());
    } finally {
      Sys.close(fd, Path.of("/dev/null"));
    }
  }

  @Test
  void sharedMappingOfAFileCarriesAQueue() throws Exception {
    Path f = dir.resolve("queue");
    int size = 8192;
    Files.write(f, new byte[size]);
    int fd = Sys.open(f, LibC.O_RDWR);
    try (Mapping m = Sys.mmapShared(fd, f, size, true)) {
      ByteBuffer b = m.buffer();
      assertTrue(b.isDirect());
      assertEquals(size, b.capacity());
      RingProducer.format(b, 512);
      RingProducer producer = new RingProducer(b, AbiVersion.V91);
      QueueRing ring = new QueueRing(b, AbiVersion.V91);
      var msg = Samples.of(MessageType.TASK_NEW, AbiVersion.V91, 3);
      assertTrue(producer.produce(msg));
      assertEquals(msg, ring.poll());
    } finally {
      Sys.closeQuietly(fd);
    }
    byte[] bytes = Files.readAllBytes(f);
    assertEquals(64, bytes[4], "header.start reached the file through MAP_SHARED");
    assertEquals(67, bytes[76], "TASK_NEW type in slot 0");
  }

  @Test
  void readOnlyMappingRefusesNothingToReaders() throws Exception {
    Path f = dir.resolve("ro");
    Files.write(f, new byte[] {1, 2, 3, 4});
    int fd = Sys.open(f, LibC.O_RDONLY);
    try (Mapping m = Sys.mmapShared(fd, f, 4, false)) {
      byte[] got = new byte[4];
      m.buffer().get(0, got);
      assertArrayEquals(new byte[] {1, 2, 3, 4}, got);
    } finally {
      Sys.closeQuietly(fd);
    }
    int wfd = Sys.open(f, LibC.O_RDONLY);
    try {
      NativeException e =
          assertThrows(NativeException.class, () -> Sys.mmapShared(wfd, f, 4, true));
      assertEquals(13, e.errno(), "EACCES: RW shared mapping of a read-only fd");
      assertTrue(
          e.getMessage().startsWith("mmap(" + f + ", 4 bytes, RW shared) failed"), e.getMessage());
    } finally {
      Sys.closeQuietly(wfd);
    }
  }

  @Test
  void pinningAThreadMovesItToThatCpu() throws Exception {
    int cpus = Runtime.getRuntime().availableProcessors();
    AtomicReference<Object> result = new AtomicReference<>();
    Thread t =
        new Thread(
            () -> {
              try {
                byte[] before = Sys.affinity();
                int[] seen = new int[cpus];
                for (int cpu = 0; cpu < cpus; cpu++) {
                  if ((before[cpu / 8] & (1 << (cpu % 8))) == 0) {
                    seen[cpu] = -1;
                    continue;
                  }
                  Sys.pinCurrentThread(cpu);
                  seen[cpu] = Sys.currentCpu();
                }
                Sys.setAffinity(before);
                result.set(seen);
              } catch (Throwable e) {
                result.set(e);
              }
            });
    t.start();
    t.join(10_000);
    if (result.get() instanceof Throwable e) {
      throw new AssertionError(e);
    }
    int[] seen = (int[]) result.get();
    int pinned = 0;
    for (int cpu = 0; cpu < cpus; cpu++) {
      if (seen[cpu] >= 0) {
        assertEquals(cpu, seen[cpu], "sched_getcpu after pinning to " + cpu);
        pinned++;
      }
    }
    assertTrue(pinned >= 1);
    assertThrows(IllegalArgumentException.class, () -> Sys.pinCurrentThread(1024));
  }

  @Test
  void clockTicks() {
    long hz = Sys.clockTicksPerSecond();
    assertTrue(hz >= 100 && hz <= 1000, "CLK_TCK " + hz);
  }
}
