package dev.ghostgym.ghostfs;

import dev.ghostgym.abi.AbiConstants;
import dev.ghostgym.abi.AbiVersion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The ghOSt file system ({@code mount -t ghost ghost /sys/fs/ghost}): checks it is there and speaks
 * an ABI ghost-gym knows, creates enclaves ({@code create <id> <abi>} to the top-level {@code ctl})
 * and attaches to existing ones. Every way it can be unusable (no ghostfs, no common ABI, no
 * permission) is a {@link GhostUnavailable} with a one-line message. Call from an ordinary (CFS)
 * thread: kernfs opens can take a mutex, which an agent thread must not wait on.
 */
public final class Ghostfs {

  /** Where ghostfs is mounted on a ghOSt kernel. */
  public static final Path DEFAULT_ROOT = Path.of("/sys/fs/ghost");

  // The C++ library also moves on to the next id on EEXIST; this bounds the walk.
  private static final int MAX_ID_ATTEMPTS = 64;

  private final Path root;
  private final List<Integer> kernelAbis;
  private final AbiVersion abi;

  private Ghostfs(Path root, List<Integer> kernelAbis, AbiVersion abi) {
    this.root = root;
    this.kernelAbis = List.copyOf(kernelAbis);
    this.abi = abi;
  }

  /** {@link #open(Path)} at {@link #DEFAULT_ROOT}. */
  public static Ghostfs open() {
    return open(DEFAULT_ROOT);
  }

  /**
   * Checks ghostfs at {@code root} and picks the newest ABI that both the kernel (its {@code
   * version} file, one ABI per line) and ghost-gym (84, 90, 91) support. Throws {@link
   * GhostUnavailable} if the root or its version file is missing, unreadable, or lists no supported
   * ABI.
   */
  public static Ghostfs open(Path root) {
    if (!Files.exists(root)) {
      throw new GhostUnavailable(
          "ghOSt is not available: "
              + root
              + " does not exist (this kernel has no"
              + " ghOSt support; use the simulator: ./ghost-gym simulate)");
    }
    if (!Files.isDirectory(root)) {
      throw new GhostUnavailable(
          "ghOSt is not available: "
              + root
              + " is not a directory (expected ghostfs"
              + " there: mount -t ghost ghost "
              + root
              + ")");
    }
    Path versionFile = root.resolve("version");
    if (!Files.exists(versionFile)) {
      throw new GhostUnavailable(
          "ghOSt is not available: "
              + versionFile
              + " does not exist (is ghostfs"
              + " mounted? mount -t ghost ghost "
              + root
              + ")");
    }
    List<Integer> kernelAbis = parseVersions(versionFile, read(versionFile));
    AbiVersion best = null;
    for (AbiVersion v : AbiVersion.values()) {
      if (kernelAbis.contains(v.number())) {
        best = v;
      }
    }
    if (best == null) {
      throw new GhostUnavailable(
          "ghOSt ABI mismatch: the kernel supports ABI "
              + join(kernelAbis)
              + " (from "
              + versionFile
              + ") but ghost-gym supports only "
              + supported());
    }
    return new Ghostfs(root, kernelAbis, best);
  }

  public Path root() {
    return root;
  }

  /** The ABIs the kernel lists in {@code version}. */
  public List<Integer> kernelAbis() {
    return kernelAbis;
  }

  /** The ABI ghost-gym uses with this kernel: the newest both support. */
  public AbiVersion abi() {
    return abi;
  }

  /**
   * Creates an enclave with the first free id from {@code firstId} (EEXIST moves on to the next
   * id), gives it {@code cpulist} (e.g. {@code "1-5"}), creates status-word region 0 and maps
   * {@code cpu_data} and {@code sw_0}. If any step after {@code create} fails, the half-created
   * enclave is destroyed before the error is thrown. Closing the returned enclave destroys it
   * unless {@link EnclaveHandle#keepOnClose()} was called.
   */
  public EnclaveHandle createEnclave(int firstId, String cpulist) {
    Path ctl = root.resolve("ctl");
    int id = firstId;
    for (int attempt = 1; ; attempt++, id++) {
      try {
        Sys.writeFile(ctl, "create " + id + " " + abi.number());
        break;
      } catch (NativeException e) {
        if (e.errno() != AbiConstants.EEXIST || attempt == MAX_ID_ATTEMPTS) {
          throw translate(e);
        }
      }
    }
    Path dir = root.resolve("enclave_" + id);
    EnclaveHandle enclave = null;
    try {
      if (!Files.isDirectory(dir)) {
        throw new IllegalStateException(
            "wrote \"create "
                + id
                + " "
                + abi.number()
                + "\" to "
                + ctl
                + " but "
                + dir
                + " did not appear");
      }
      enclave = EnclaveHandle.open(dir, true);
      enclave.setCpulist(cpulist);
      enclave.mapShared();
      return enclave;
    } catch (RuntimeException e) {
      destroyHalfCreated(enclave, dir, e);
      throw e instanceof NativeException ne ? translate(ne) : e;
    }
  }

  /**
   * Attaches to the live enclave {@code enclave_<id>} (rebootless upgrade, docs/KERNEL-MODEL.md
   * §2.11): opens its {@code ctl}, checks its ABI, creates sw region 0 if missing and maps {@code
   * cpu_data} and {@code sw_0}. Closing it does not destroy the enclave.
   */
  public EnclaveHandle attach(int id) {
    Path dir = root.resolve("enclave_" + id);
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException("no enclave " + id + ": " + dir + " does not exist");
    }
    EnclaveHandle enclave = EnclaveHandle.open(dir, false);
    try {
      enclave.mapShared();
      return enclave;
    } catch (RuntimeException e) {
      enclave.close();
      throw e instanceof NativeException ne ? translate(ne) : e;
    }
  }

  /**
   * Turns a permission error into a one-line {@link GhostUnavailable}; other errors pass through.
   */
  static RuntimeException translate(NativeException e) {
    if (e.errno() == AbiConstants.EACCES || e.errno() == 1) {
      return new GhostUnavailable(
          "ghOSt is not available: permission denied: "
              + e.call()
              + "("
              + e.file()
              + ") (run as root: agents need write access to ghostfs and CAP_SYS_NICE)",
          e);
    }
    return e;
  }

  private static void destroyHalfCreated(EnclaveHandle enclave, Path dir, RuntimeException cause) {
    try {
      if (enclave != null) {
        enclave.close();
      } else if (Files.exists(dir.resolve("ctl"))) {
        Sys.writeFile(dir.resolve("ctl"), "destroy");
      }
    } catch (RuntimeException e) {
      cause.addSuppressed(e);
    }
  }

  private static String read(Path file) {
    try {
      return Sys.readFile(file);
    } catch (NativeException e) {
      RuntimeException t = translate(e);
      if (t instanceof GhostUnavailable) {
        throw t;
      }
      throw new GhostUnavailable(
          "ghOSt is not available: cannot read "
              + file
              + ": "
              + NativeException.describe(e.errno()),
          e);
    }
  }

  private static List<Integer> parseVersions(Path file, String text) {
    List<Integer> abis = new ArrayList<>();
    for (String line : text.split("\n")) {
      String s = line.strip();
      if (s.isEmpty()) {
        continue;
      }
      try {
        abis.add(Integer.parseInt(s));
      } catch (NumberFormatException e) {
        throw new GhostUnavailable(
            "ghOSt is not available: "
                + file
                + " has \""
                + s
                + "\" where an ABI"
                + " number was expected (one per line)");
      }
    }
    if (abis.isEmpty()) {
      throw new GhostUnavailable(
          "ghOSt is not available: "
              + file
              + " lists no ABI (expected one number per"
              + " line, e.g. 91); ghost-gym supports "
              + supported());
    }
    return abis;
  }

  private static String supported() {
    List<Integer> ours = new ArrayList<>();
    for (AbiVersion v : AbiVersion.values()) {
      ours.add(v.number());
    }
    return join(ours);
  }

  private static String join(List<Integer> xs) {
    return xs.stream().map(String::valueOf).collect(Collectors.joining(", "));
  }
}
