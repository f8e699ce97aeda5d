package dev.ghostgym.live;

import dev.ghostgym.ghostfs.StatusWordWriter;
import dev.ghostgym.ghostfs.TxnSlots;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A directory of regular files laid out like /sys/fs/ghost with one enclave: ghostfs commands are
 * plain writes, {@code cpu_data} and {@code sw_0} map like the kernel's files, and every ioctl
 * fails (ENOTTY), which is what this machine can test of the real-kernel path.
 */
final class FakeGhostfs {
  private FakeGhostfs() {}

  static Path enclave(Path root, int id, int cpus) throws IOException {
    Files.writeString(root.resolve("version"), "91\n");
    Files.createFile(root.resolve("ctl"));
    Path e = Files.createDirectory(root.resolve("enclave_" + id));
    Files.writeString(e.resolve("ctl"), id + "\n");
    Files.writeString(e.resolve("abi_version"), "91\n");
    Files.createFile(e.resolve("cpulist"));
    Files.writeString(e.resolve("agent_online"), "0\n");
    Files.createFile(e.resolve("tasks"));
    ByteBuffer cpuData = ByteBuffer.allocateDirect(cpus * 4096);
    TxnSlots.format(cpuData);
    Files.write(e.resolve("cpu_data"), bytes(cpuData));
    Files.createDirectory(e.resolve("sw_regions"));
    ByteBuffer sw = ByteBuffer.allocateDirect(2 * 1024 * 1024);
    StatusWordWriter.format(sw, 0, 0);
    Files.write(e.resolve("sw_regions").resolve("sw_0"), bytes(sw));
    return e;
  }

  private static byte[] bytes(ByteBuffer b) {
    byte[] out = new byte[b.capacity()];
    b.get(0, out);
    return out;
  }
}
