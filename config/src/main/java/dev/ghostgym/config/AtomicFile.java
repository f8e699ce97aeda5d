package dev.ghostgym.config;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An output file that appears complete or not at all, the contract every writer of ghost-gym keeps
 * (reports, task logs, checkpoints, training logs, plots, recorded episodes): the bytes go to a
 * temporary file beside the target ({@code .NAME.RANDOM.part}, same directory so the rename stays
 * on one file system), which is flushed to disk and then renamed over the target in one step. A
 * failure or an interrupt before {@link #commit} deletes the temporary file and leaves the old
 * target as it was; a JVM shutdown (Ctrl-C, {@code System.exit}) deletes every temporary file still
 * open. Only SIGKILL or a power cut can leave a {@code .part} file, which nothing ever reads.
 *
 * <p>A target that exists and is not a regular file (a device such as {@code /dev/null}, a FIFO)
 * cannot be replaced by a rename; it is written in place, as the user asked for that very file.
 */
public final class AtomicFile implements AutoCloseable {
  private static final Set<Path> OPEN = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(AtomicFile::deleteOpen, "atomic-file-cleanup"));
  }

  private final Path target;
  private final Path temp; // null when writing a special file in place
  private final FileChannel channel;
  private final OutputStream out;
  private boolean done;

  private AtomicFile(Path target) throws IOException {
    this.target = target;
    if (Files.exists(target) && !Files.isRegularFile(target) && !Files.isDirectory(target)) {
      this.temp = null;
      this.channel = null;
      this.out = Files.newOutputStream(target, StandardOpenOption.WRITE);
      return;
    }
    Path dir = target.toAbsolutePath().getParent();
    this.temp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".part");
    OPEN.add(temp);
    this.channel =
        FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
    this.out = Channels.newOutputStream(channel);
  }

  /** Starts writing {@code target}; nothing is visible at {@code target} until {@link #commit}. */
  public static AtomicFile open(Path target) throws IOException {
    return new AtomicFile(target);
  }

  /** The bytes of the new file (buffer it if you write small pieces). */
  public OutputStream stream() {
    return out;
  }

  /** Flushes to disk and renames the temporary file over the target. */
  public void commit() throws IOException {
    if (done) return;
    if (temp == null) {
      out.close();
      done = true;
      return;
    }
    channel.force(true);
    out.close();
    try {
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
    }
    OPEN.remove(temp);
    done = true;
  }

  /** Abandons an uncommitted file: the temporary file is deleted, the target untouched. */
  @Override
  public void close() {
    if (done) return;
    done = true;
    try {
      out.close();
    } catch (IOException ignored) {
      // the file is being thrown away
    }
    if (temp != null) {
      try {
        Files.deleteIfExists(temp);
      } catch (IOException ignored) {
        // best effort; the shutdown hook tries again
      }
      OPEN.remove(temp);
    }
  }

  /** Something that writes the whole content of a file. */
  @FunctionalInterface
  public interface Body {
    void write(OutputStream out) throws IOException;
  }

  /** Writes {@code target} atomically with {@code body} (buffered). */
  public static void write(Path target, Body body) throws IOException {
    try (AtomicFile f = open(target)) {
      OutputStream buffered = new BufferedOutputStream(f.stream(), 1 << 16);
      body.write(buffered);
      buffered.flush();
      f.commit();
    }
  }

  /** Writes {@code text} (UTF-8) to {@code target} atomically. */
  public static void writeString(Path target, String text) throws IOException {
    writeBytes(target, text.getBytes(StandardCharsets.UTF_8));
  }

  /** Writes {@code bytes} to {@code target} atomically. */
  public static void writeBytes(Path target, byte[] bytes) throws IOException {
    write(target, o -> o.write(bytes));
  }

  /**
   * {@link #write} for callers that cannot recover from an I/O failure: it becomes an unchecked
   * exception whose message is one line naming the file ({@code TARGET: cannot write (why)}).
   */
  public static void writeUnchecked(Path target, Body body) {
    try {
      write(target, body);
    } catch (IOException e) {
      throw new UncheckedIOException(target + ": cannot write (" + e.getMessage() + ")", e);
    }
  }

  /** {@link #writeBytes} with the failure unchecked, as {@link #writeUnchecked}. */
  public static void writeBytesUnchecked(Path target, byte[] bytes) {
    writeUnchecked(target, o -> o.write(bytes));
  }

  /** {@link #writeString} with the failure unchecked, as {@link #writeUnchecked}. */
  public static void writeStringUnchecked(Path target, String text) {
    writeBytesUnchecked(target, text.getBytes(StandardCharsets.UTF_8));
  }

  private static void deleteOpen() {
    for (Path p : OPEN) {
      try {
        Files.deleteIfExists(p);
      } catch (IOException ignored) {
        // shutting down; nothing else to do
      }
    }
  }
}
