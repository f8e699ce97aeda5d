package dev.ghostgym.ghostfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import com.sun.jna.Native;
import com.sun.jna.Platform;
import dev.ghostgym.abi.AbiVersion;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ghostfs's failure modes, on a temporary directory standing in for /sys/fs/ghost (this machine has
 * no ghOSt kernel): each one is a single line that says what is wrong, and half-created enclaves
 * are destroyed.
 */
class GhostfsTest {

  @TempDir Path root;

  @Test
  void thisMachineHasNoGhost() {
    assumeFalse(Files.exists(Ghostfs.DEFAULT_ROOT), "a ghOSt kernel is running here");
    GhostUnavailable e = assertThrows(GhostUnavailable.class, Ghostfs::open);
    assertEquals(
        "ghOSt is not available: /sys/fs/ghost does not exist (this kernel has no ghOSt support; use"
            + " the simulator: ./ghost-gym simulate)",
        e.getMessage());
  }

  @Test
  void missingRoot() {
    Path missing = root.resolve("ghost");
    GhostUnavailable e = assertThrows(GhostUnavailable.class, () -> Ghostfs.open(missing));
    assertEquals(
        "ghOSt is not available: "
            + missing
            + " does not exist (this kernel has no ghOSt support; use"
            + " the simulator: ./ghost-gym simulate)",
        e.getMessage());
    assertOneLine(e);
  }

  @Test
  void rootWithoutVersionFileIsNotGhostfs() {
    GhostUnavailable e = assertThrows(GhostUnavailable.class, () -> Ghostfs.open(root));
    assertEquals(
        "ghOSt is not available: "
            + root.resolve("version")
            + " does not exist (is ghostfs mounted?"
            + " mount -t ghost ghost "
            + root
            + ")",
        e.getMessage());
  }

  @Test
  void onlyUnsupportedAbis() throws Exception {
    Files.writeString(root.resolve("version"), "69\n75\n");
    GhostUnavailable e = assertThrows(GhostUnavailable.class, () -> Ghostfs.open(root));
    assertEquals(
        "ghOSt ABI mismatch: the kernel supports ABI 69, 75 (from "
            + root.resolve("version")
            + ") but ghost-gym supports only 84, 90, 91",
        e.getMessage());
    assertOneLine(e);
  }

  @Test
  void emptyOrGarbledVersionFile() throws Exception {
    Files.writeString(root.resolve("version"), "\n");
    GhostUnavailable empty = assertThrows(GhostUnavailable.class, () -> Ghostfs.open(root));
    assertTrue(empty.getMessage().contains("lists no ABI"), empty.getMessage());
    Files.writeString(root.resolve("version"), "91\nlatest\n");
    GhostUnavailable garbled = assertThrows(GhostUnavailable.class, () -> Ghostfs.open(root));
    assertTrue(
        garbled.getMessage().contains("has \"latest\" where an ABI number was expected"),
        garbled.getMessage());
    assertOneLine(garbled);
  }

  @Test
  void picksTheNewestCommonAbi() throws Exception {
    Files.writeString(root.resolve("version"), "84\n90\n91\n92\n");
    Ghostfs fs = Ghostfs.open(root);
    assertEquals(AbiVersion.V91, fs.abi());
    assertEquals(List.of(84, 90, 91, 92), fs.kernelAbis());
    Files.writeString(root.resolve("version"), "84\n");
    assertEquals(AbiVersion.V84, Ghostfs.open(root).abi());
  }

  @Test
  void unreadableCtlIsOneLineAboutPermission() throws Exception {
    Files.writeString(root.resolve("version"), "91\n");
    Path ctl = Files.createFile(root.resolve("ctl"));
    Files.setPosixFilePermissions(ctl, PosixFilePermissions.fromString("---------"));
    Ghostfs fs = Ghostfs.open(root);
    GhostUnavailable e = asUnprivileged(() -> fs.createEnclave(1, "0"));
    assertEquals(
        "ghOSt is not available: permission denied: open("
            + ctl
            + ", O_WRONLY) (run as root: agents"
            + " need write access to ghostfs and CAP_SYS_NICE)",
        e.getMessage());
    assertOneLine(e);
    assertEquals(0, Files.size(ctl), "nothing was written");
  }

  @Test
  void unreadableVersionFileIsOneLineAboutPermission() throws Exception {
    Path version = Files.writeString(root.resolve("version"), "91\n");
    Files.setPosixFilePermissions(version, PosixFilePermissions.fromString("---------"));
    GhostUnavailable e = asUnprivileged(() -> Ghostfs.open(root));
    assertTrue(
        e.getMessage().startsWith("ghOSt is not available: permission denied: open(" + version),
        e.getMessage());
    assertOneLine(e);
  }

  @Test
  void createWritesTheCommandAndFailsWhenNoEnclaveAppears() throws Exception {
    Files.writeString(root.resolve("version"), "90\n");
    Files.createFile(root.resolve("ctl"));
    Ghostfs fs = Ghostfs.open(root);
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> fs.createEnclave(3, "0-1"));
    assertEquals(
        "wrote \"create 3 90\" to "
            + root.resolve("ctl")
            + " but "
            + root.resolve("enclave_3")
            + " did not appear",
        e.getMessage());
    assertEquals("create 3 90", Files.readString(root.resolve("ctl")));
  }

  @Test
  void aHalfCreatedEnclaveIsDestroyed() throws Exception {
    Files.writeString(root.resolve("version"), "91\n");
    Files.createFile(root.resolve("ctl"));
    Path enclave = Files.createDirectory(root.resolve("enclave_1"));
    Files.writeString(enclave.resolve("ctl"), "1\n");
    Files.writeString(enclave.resolve("abi_version"), "91\n");
    Files.createDirectory(enclave.resolve("cpulist")); // writing the CPUs fails with EISDIR
    Ghostfs fs = Ghostfs.open(root);
    NativeException e = assertThrows(NativeException.class, () -> fs.createEnclave(1, "0-1"));
    assertEquals(21, e.errno(), e.getMessage());
    assertTrue(
        e.getMessage().startsWith("open(" + enclave.resolve("cpulist") + ", O_WRONLY) failed"),
        e.getMessage());
    assertEquals(
        "destroy", Files.readString(enclave.resolve("ctl")).strip(), "the enclave was destroyed");
  }

  @Test
  void attachChecksTheEnclaveAbi() throws Exception {
    Files.writeString(root.resolve("version"), "69\n91\n");
    Path enclave = Files.createDirectory(root.resolve("enclave_4"));
    Files.writeString(enclave.resolve("ctl"), "4\n");
    Files.writeString(enclave.resolve("abi_version"), "69\n");
    Ghostfs fs = Ghostfs.open(root);
    GhostUnavailable e = assertThrows(GhostUnavailable.class, () -> fs.attach(4));
    assertEquals(
        "ghOSt ABI mismatch: " + enclave + " runs ABI 69 but ghost-gym supports only 84, 90, 91",
        e.getMessage());
    IllegalArgumentException none =
        assertThrows(IllegalArgumentException.class, () -> fs.attach(5));
    assertEquals(
        "no enclave 5: " + root.resolve("enclave_5") + " does not exist", none.getMessage());
    assertEquals("4\n", Files.readString(enclave.resolve("ctl")), "attach never destroys");
  }

  @Test
  void attachMapsCpuDataAndStatusWordsOfAnEnclaveDirectory() throws Exception {
    // Regular files stand in for the kernel's: mmap works on them just the same.
    Files.writeString(root.resolve("version"), "91\n");
    Path enclave = Files.createDirectory(root.resolve("enclave_2"));
    Files.writeString(enclave.resolve("ctl"), "2\n");
    Files.writeString(enclave.resolve("abi_version"), "91\n");
    Files.writeString(enclave.resolve("cpulist"), "0-1\n");
    Files.writeString(enclave.resolve("agent_online"), "0\n");
    Files.writeString(enclave.resolve("deliver_ticks"), "0\n");
    ByteBuffer cpuData = ByteBuffer.allocateDirect(2 * 4096);
    TxnSlots.format(cpuData);
    Files.write(enclave.resolve("cpu_data"), bytes(cpuData));
    Files.createDirectory(enclave.resolve("sw_regions"));
    ByteBuffer sw = ByteBuffer.allocateDirect(2 * 1024 * 1024);
    StatusWordWriter.format(sw, 0, 0).write(5, new StatusWord(9, 1, 77, 0, 0));
    Files.write(enclave.resolve("sw_regions").resolve("sw_0"), bytes(sw));
    Ghostfs fs = Ghostfs.open(root);
    try (EnclaveHandle e = fs.attach(2)) {
      assertEquals(2, e.id());
      assertEquals(AbiVersion.V91, e.abi());
      assertEquals("0-1", e.cpulist());
      assertEquals(2, e.txns().cpus());
      assertEquals(new StatusWord(9, 1, 77, 0, 0), e.statusWords().read(5));
      assertEquals(65_534, e.statusWords().capacity());
      assertFalse(e.agentOnline());
      e.txns().open(1, 42, 0, 0, 0, 0);
    }
    byte[] written = Files.readAllBytes(enclave.resolve("cpu_data"));
    assertEquals(42, written[4096 + 24], "the txn reached the file through the shared mapping");
    // The command went through the held ctl fd (at offset 0 of this regular file); no "destroy"
    // followed.
    assertEquals(
        "create sw_region 0 0",
        Files.readString(enclave.resolve("ctl")),
        "attach asks for sw region 0 through ctl and does not destroy");
  }

  private static byte[] bytes(ByteBuffer b) {
    byte[] out = new byte[b.capacity()];
    b.get(0, out);
    return out;
  }

  private static void assertOneLine(Throwable e) {
    assertFalse(e.getMessage().contains("\n"), e.getMessage());
  }

  /**
   * Runs {@code action} on a thread whose file-system uid is "nobody", so permission bits apply
   * even when the tests run as root (the fsuid is per thread; root's file capabilities drop with
   * it).
   */
  private static GhostUnavailable asUnprivileged(Runnable action) throws Exception {
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    Thread t =
        new Thread(
            () -> {
              boolean root = Fsuid.geteuid() == 0;
              if (root) {
                Fsuid.setfsuid(65534);
                if (Fsuid.setfsuid(-1) != 65534) {
                  thrown.set(
                      new AssertionError(
                          "setfsuid did not take effect, errno " + Native.getLastError()));
                  return;
                }
              }
              try {
                action.run();
                thrown.set(new AssertionError("expected GhostUnavailable"));
              } catch (Throwable e) {
                thrown.set(e);
              } finally {
                if (root) {
                  Fsuid.setfsuid(0);
                }
              }
            });
    t.start();
    t.join(10_000);
    if (thrown.get() instanceof GhostUnavailable g) {
      return g;
    }
    throw new AssertionError("expected GhostUnavailable, got " + thrown.get(), thrown.get());
  }

  /** Per-thread file-system uid, to test permission errors as root. */
  static final class Fsuid {
    static {
      Native.register(Fsuid.class, Platform.C_LIBRARY_NAME);
    }

    static native int geteuid();

    static native int setfsuid(int fsuid);
  }
}
