package dev.ghostgym.config;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A file written through {@link AtomicFile} is the old one or the new one, never a mix. */
class AtomicFileTest {
  @TempDir Path dir;

  private List<String> names() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void theTargetAppearsOnlyAtCommitAndNoTemporaryFileStays() throws IOException {
    Path target = dir.resolve("report.json");
    try (AtomicFile f = AtomicFile.open(target)) {
      f.stream().write("{\"a\":1}".getBytes(StandardCharsets.UTF_8));
      assertFalse(Files.exists(target), "visible before commit");
      List<String> during = names();
      assertEquals(1, during.size(), during.toString());
      assertTrue(
          during.get(0).startsWith(".report.json.") && during.get(0).endsWith(".part"),
          during.toString());
      f.commit();
    }
    assertEquals("{\"a\":1}", Files.readString(target));
    assertEquals(List.of("report.json"), names());
  }

  @Test
  void aFailureKeepsTheOldFileAndLeavesNothingBehind() throws IOException {
    Path target = dir.resolve("progress.csv");
    Files.writeString(target, "old\n");
    IOException boom = new IOException("disk on fire");
    IOException thrown =
        assertThrows(
            IOException.class,
            () ->
                AtomicFile.write(
                    target,
                    o -> {
                      o.write("new, half".getBytes(StandardCharsets.UTF_8));
                      throw boom;
                    }));
    assertEquals(boom, thrown);
    assertEquals("old\n", Files.readString(target));
    assertEquals(List.of("progress.csv"), names());
  }

  @Test
  void closingWithoutCommitAbandonsTheNewFile() throws IOException {
    Path target = dir.resolve("log.csv");
    try (AtomicFile f = AtomicFile.open(target)) {
      f.stream().write(1);
    }
    assertFalse(Files.exists(target));
    assertEquals(List.of(), names());
  }

  @Test
  void anExistingFileIsReplacedWhole() throws IOException {
    Path target = dir.resolve("table.txt");
    Files.writeString(target, "a much longer old content than the new one\n");
    AtomicFile.writeString(target, "new\n");
    assertEquals("new\n", Files.readString(target));
    byte[] png = {(byte) 0x89, 'P', 'N', 'G', 0, 1, 2};
    AtomicFile.writeBytesUnchecked(dir.resolve("f.png"), png);
    assertArrayEquals(png, Files.readAllBytes(dir.resolve("f.png")));
    AtomicFile.writeUnchecked(dir.resolve("s.txt"), o -> o.write('x'));
    assertEquals("x", Files.readString(dir.resolve("s.txt")));
    assertEquals(List.of("f.png", "s.txt", "table.txt"), names());
  }

  @Test
  void aSpecialFileIsWrittenInPlace() throws IOException {
    Path devNull = Path.of("/dev/null");
    if (!Files.exists(devNull)) return; // not a Unix system
    AtomicFile.writeString(devNull, "discarded");
    assertFalse(Files.isRegularFile(devNull), "/dev/null was replaced by a regular file");
  }

  @Test
  void theUncheckedFormsNameTheFileInOneLine() {
    Path target = dir.resolve("missing").resolve("r.json");
    UncheckedIOException e =
        assertThrows(
            UncheckedIOException.class, () -> AtomicFile.writeStringUnchecked(target, "{}"));
    assertTrue(e.getMessage().startsWith(target + ": cannot write ("), e.getMessage());
    assertFalse(e.getMessage().contains("\n"), e.getMessage());
    assertFalse(Files.exists(dir.resolve("missing")), "a missing directory is not created");
  }
}
