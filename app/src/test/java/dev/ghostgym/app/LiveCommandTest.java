package dev.ghostgym.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import com.sun.jna.Native;
import com.sun.jna.Platform;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ghost-gym live} where there is no usable ghOSt: one line, exit 1, nothing created. What it
 * does on a ghOSt kernel cannot be run here.
 */
class LiveCommandTest {
  @TempDir Path root;

  private static void assertOneLine(Cli r, String start) {
    assertEquals(1, r.code(), r.err());
    assertEquals("", r.out());
    List<String> lines = r.err().lines().toList();
    assertEquals(1, lines.size(), "exactly one line: " + r.err());
    assertTrue(lines.get(0).startsWith(start), lines.get(0));
  }

  private List<Path> tree() throws Exception {
    try (Stream<Path> s = Files.walk(root)) {
      return s.sorted().toList();
    }
  }

  @Test
  void withoutGhostfsOnThisMachineItPrintsOneLineAndExits1() {
    assumeFalse(Files.exists(Path.of("/sys/fs/ghost")), "a ghOSt kernel runs here");
    Cli r = Cli.run("live", "--cpus", "1-3", "--policy", "fifo", "--", "true");
    assertOneLine(r, "ghost-gym: ghOSt is not available: /sys/fs/ghost does not exist");
  }

  @Test
  void anUnsupportedAbiIsOneLineAndCreatesNothing() throws Exception {
    Files.writeString(root.resolve("version"), "69\n75\n");
    Path ctl = Files.createFile(root.resolve("ctl"));
    List<Path> before = tree();
    Cli r = Cli.run("live", "--ghostfs", root.toString(), "--cpus", "1-3", "--", "true");
    assertOneLine(r, "ghost-gym: ghOSt ABI mismatch: the kernel supports ABI 69, 75");
    assertEquals(before, tree(), "nothing created");
    assertEquals(0, Files.size(ctl), "nothing written to ctl");
  }

  // Run as a thread whose file-system uid is "nobody", so that the permission bits apply even to
  // root.
  @Test
  void aMissingPermissionIsOneLineAndCreatesNothing() throws Exception {
    Files.writeString(root.resolve("version"), "91\n");
    Path ctl = Files.createFile(root.resolve("ctl"));
    Files.setPosixFilePermissions(ctl, PosixFilePermissions.fromString("---------"));
    Cli r =
        asNobody(() -> Cli.run("live", "--ghostfs", root.toString(), "--cpus", "0", "--", "true"));
    assertOneLine(r, "ghost-gym: ghOSt is not available: permission denied");
    assertTrue(r.err().contains("run as root"), r.err());
    assertEquals(0, Files.size(ctl), "nothing written to ctl");
    assertEquals(List.of(root, ctl, root.resolve("version")), tree(), "no enclave directory");
  }

  @Test
  void badArgumentsAreUsageErrors() {
    Cli noCommand = Cli.run("live", "--cpus", "1-3");
    assertEquals(2, noCommand.code());
    assertTrue(noCommand.err().contains("expected the command to run after --"), noCommand.err());
    Cli badCpus = Cli.run("live", "--cpus", "3-1", "--", "true");
    assertEquals(2, badCpus.code());
    assertTrue(badCpus.err().contains("--cpus: CPU list '3-1'"), badCpus.err());
    Cli oracle = Cli.run("live", "--cpus", "1", "--policy", "srpt", "--", "true");
    assertEquals(2, oracle.code());
    assertTrue(oracle.err().contains("cannot run live"), oracle.err());
    Cli syncGroup =
        Cli.run(
            "live",
            "--cpus",
            "1",
            "--policy",
            "centralized-fifo",
            "--set",
            "policy.sync_group=true",
            "--",
            "true");
    assertEquals(2, syncGroup.code());
    assertTrue(syncGroup.err().contains("--set policy.sync_group: sync-group"), syncGroup.err());
    Cli workloadSet = Cli.run("live", "--cpus", "1", "--set", "load=0.5", "--", "true");
    assertEquals(2, workloadSet.code());
    assertTrue(workloadSet.err().contains("only policy parameters"), workloadSet.err());
    Cli badPolicy = Cli.run("live", "--cpus", "1", "--policy", "nope", "--", "true");
    assertEquals(2, badPolicy.code());
    assertTrue(badPolicy.err().contains("policy: expected one of"), badPolicy.err());
    Cli badWarmup = Cli.run("live", "--cpus", "1", "--warmup-passes", "-1", "--", "true");
    assertEquals(2, badWarmup.code());
    assertTrue(badWarmup.err().contains("--warmup-passes: expected a count >= 0"), badWarmup.err());
    Cli badEnclave = Cli.run("live", "--enclave", "/tmp/not-an-enclave", "--", "true");
    assertEquals(2, badEnclave.code());
    assertTrue(badEnclave.err().contains("expected a ghostfs enclave directory"), badEnclave.err());
    Cli traceDir = Cli.run("live", "--cpus", "1", "--trace", "/tmp", "--", "true");
    assertEquals(2, traceDir.code());
    assertTrue(traceDir.err().contains("--trace /tmp: is a directory"), traceDir.err());
  }

  private static Cli asNobody(Supplier<Cli> action) throws Exception {
    AtomicReference<Object> result = new AtomicReference<>();
    Thread t =
        new Thread(
            () -> {
              boolean root = Fsuid.geteuid() == 0;
              if (root) Fsuid.setfsuid(65534);
              try {
                if (root && Fsuid.setfsuid(-1) != 65534) {
                  result.set(
                      new AssertionError(
                          "setfsuid did not take effect, errno " + Native.getLastError()));
                  return;
                }
                result.set(action.get());
              } catch (Throwable e) {
                result.set(e);
              } finally {
                if (root) Fsuid.setfsuid(0);
              }
            });
    t.start();
    t.join(30_000);
    if (result.get() instanceof Cli c) return c;
    throw new AssertionError("expected a result, got " + result.get());
  }

  /** Per-thread file-system uid, to test permission errors as root. */
  static final class Fsuid {
    static {
      Native.register(Fsuid.class, Platform.C_LIBRARY_NAME);
    }

    static native int geteuid();

    static native int setfsuid(int fsuid);
  }

  @Test
  void aLearnedPolicyIsAcceptedLiveAndAMissingOneIsOneLine(@TempDir Path dir) {
    // A model that does not exist: one line naming the checkpoint, exit 2 (the user's input, see
    // docs/CLI-CONTRACT.md), before ghostfs is touched.
    Cli missing =
        Cli.run("live", "--cpus", "1", "--policy", "model:" + dir.resolve("none"), "--", "true");
    assertEquals(2, missing.code(), missing.err());
    assertTrue(missing.err().contains("checkpoint"), missing.err());
    assertEquals(1, missing.err().strip().lines().count(), missing.err());
  }

  // Over the kernel double: the JIT warm-up runs before the agents attach, and the report has the
  // JVM section (collector, GC pauses, safepoints, the agents' pass times with the worst pass).
  @Test
  void theReportHasTheWarmUpThePausesAndTheWorstPass(@TempDir Path dir) {
    dev.ghostgym.ghostfs.kerneldouble.KernelDouble kernel =
        new dev.ghostgym.ghostfs.kerneldouble.KernelDouble(dir.resolve("ghost"), 4);
    dev.ghostgym.ghostfs.SysCalls previous = dev.ghostgym.ghostfs.Sys.install(kernel);
    Cli r;
    try {
      r =
          Cli.run(
              "live",
              "--ghostfs",
              kernel.root().toString(),
              "--cpus",
              "0-1", // pinned for real: CPUs every machine has
              "--warmup-passes",
              "1000",
              "--watchdog",
              "0",
              "--json",
              "-",
              "--",
              "true");
    } finally {
      kernel.shutDown();
      dev.ghostgym.ghostfs.Sys.install(previous);
    }
    assertEquals(0, r.code(), r.err());
    assertTrue(r.err().contains("warmed the decision path up"), r.err());
    String out = r.out();
    assertTrue(out.contains("\"jvm\": {"), out);
    assertTrue(out.matches("(?s).*\"warmup_passes\": (\\d{4,}).*"), out);
    assertTrue(out.matches("(?s).*\"agent_pass_us\": \\{\\s*\"count\": [1-9].*"), out);
    assertTrue(out.matches("(?s).*\"gc_pauses\": \\{\\s*\"count\": \\d+.*"), out);
    assertTrue(out.matches("(?s).*\"safepoints\": \\{\\s*\"count\": \\d+.*"), out);
  }
}
