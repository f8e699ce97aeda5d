package dev.ghostgym.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ghost-gym live --prio-table}: what each value names, and one line for a bad one. */
class PrioTableOptionTest {
  @TempDir Path root;

  @Test
  void eachValueNamesItsTable() {
    assertNull(PrioTableOption.parse("none", () -> 1, root));
    assertEquals(
        "process 42 has no PrioTable (no ghost-shmem-priotable); every hint was 0",
        PrioTableOption.parse("command", () -> 42, root).describe());
    assertEquals(
        "process 7 has no PrioTable (no ghost-shmem-priotable); every hint was 0",
        PrioTableOption.parse("7", () -> 42, root).describe());
  }

  @Test
  void aMissingFileIsOneLineExit2BeforeAnythingIsCreated() {
    Cli r = Cli.run("live", "--cpus", "1", "--prio-table", "/nonexistent/pt", "--", "true");
    assertEquals(2, r.code(), r.err());
    List<String> lines = r.err().lines().toList();
    assertEquals(1, lines.size(), r.err());
    assertTrue(
        lines
            .get(0)
            .contains(
                "--prio-table: expected command, none, a process id or a readable PrioTable file, got /nonexistent/pt"),
        lines.get(0));
  }
}
