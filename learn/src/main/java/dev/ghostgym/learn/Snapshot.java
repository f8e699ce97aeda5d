package dev.ghostgym.learn;

import dev.ghostgym.config.AtomicFile;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything a training run needs to continue exactly where it stopped, in one file ({@code
 * state-STEP.bin} beside the checkpoint): the network's parameters, the target network's (DQN), the
 * optimizer's moments and step counts, and every action taken so far by every environment. The
 * environments are not serialised: they are deterministic, so resetting them with the run's seed
 * and replaying the actions puts each back in the middle of its episode, and the same pass rebuilds
 * what was derived from them (DQN's replay buffer, reward normalisation, episode returns). The
 * random streams are derived from the seed and the step, so they need no state. The file starts
 * with a magic number and a version and is read with bounds on every size, so a truncated or
 * foreign file is a clean error.
 */
record Snapshot(long step, byte[] params, byte[] target, byte[] optimizer, List<int[]> actions) {
  private static final int MAGIC = 0x47475354; // "GGST"
  private static final int VERSION = 1;
  private static final int MAX_BYTES = 1 << 28;

  static String fileName(long step) {
    return "state-" + step + ".bin";
  }

  void write(Path file) throws IOException {
    AtomicFile.write(
        file,
        o -> {
          DataOutputStream d = new DataOutputStream(o);
          d.writeInt(MAGIC);
          d.writeInt(VERSION);
          d.writeLong(step);
          bytes(d, params);
          bytes(d, target);
          bytes(d, optimizer);
          int width = actions.isEmpty() ? 0 : actions.get(0).length;
          d.writeInt(actions.size());
          d.writeInt(width);
          for (int[] a : actions) for (int x : a) d.writeInt(x);
          d.flush();
        });
  }

  static Snapshot read(Path file) throws IOException {
    try (InputStream raw = Files.newInputStream(file);
        DataInputStream d = new DataInputStream(new BufferedInputStream(raw, 1 << 16))) {
      if (d.readInt() != MAGIC)
        throw new IOException("not a ghost-gym training state (bad magic number)");
      int version = d.readInt();
      if (version != VERSION)
        throw new IOException("training state version " + version + ", expected " + VERSION);
      long step = d.readLong();
      if (step < 0) throw new IOException("negative step " + step);
      byte[] params = bytes(d);
      if (params == null) throw new IOException("no network parameters");
      byte[] target = bytes(d);
      byte[] optimizer = bytes(d);
      int rows = d.readInt(), width = d.readInt();
      if (rows < 0 || width < 0 || width > 4096 || (long) rows * width > MAX_BYTES / 4) {
        throw new IOException("action history of " + rows + " x " + width);
      }
      List<int[]> actions = new ArrayList<>(rows);
      for (int r = 0; r < rows; r++) {
        int[] a = new int[width];
        for (int i = 0; i < width; i++) a[i] = d.readInt();
        actions.add(a);
      }
      if (d.read() != -1) throw new IOException("trailing bytes after the action history");
      return new Snapshot(step, params, target, optimizer, actions);
    } catch (EOFException e) {
      throw new IOException("truncated (ends early)", e);
    }
  }

  private static void bytes(DataOutputStream d, byte[] b) throws IOException {
    if (b == null) {
      d.writeInt(-1);
      return;
    }
    d.writeInt(b.length);
    d.write(b);
  }

  private static byte[] bytes(DataInputStream d) throws IOException {
    int n = d.readInt();
    if (n == -1) return null;
    if (n < 0 || n > MAX_BYTES) throw new IOException("a block of " + n + " bytes");
    byte[] b = new byte[n];
    d.readFully(b);
    return b;
  }
}
