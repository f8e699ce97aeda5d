package dev.ghostgym.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The mask live agents read after TASK_AFFINITY_CHANGED, from {@code /proc/TID/status}. */
class ProcAffinityTest {
  @TempDir Path proc;

  private void status(int tid, String cpusAllowedList) throws Exception {
    Path dir = Files.createDirectories(proc.resolve(Integer.toString(tid)));
    Files.writeString(
        dir.resolve("status"),
        "Name:\tworker\nTgid:\t41\nPid:\t"
            + tid
            + "\nCpus_allowed:\tff\n"
            + (cpusAllowedList == null ? "" : "Cpus_allowed_list:\t" + cpusAllowedList + "\n")
            + "voluntary_ctxt_switches:\t3\n");
  }

  private static BitSet of(int... cpus) {
    BitSet b = new BitSet();
    for (int c : cpus) b.set(c);
    return b;
  }

  @Test
  void aRestrictedThreadReadsItsAllowedCpus() throws Exception {
    status(42, "1,3-4");
    assertEquals(of(1, 3, 4), ProcAffinity.read(proc, 42, 8));
  }

  @Test
  void cpusBeyondTheMachineAreDroppedAndAFullMaskMeansAnywhere() throws Exception {
    status(43, "0-7");
    assertNull(ProcAffinity.read(proc, 43, 8), "every CPU allowed: no restriction");
    status(44, "2-63");
    assertEquals(of(2, 3), ProcAffinity.read(proc, 44, 4));
    status(45, "0-63");
    assertNull(ProcAffinity.read(proc, 45, 4));
  }

  @Test
  void aGoneThreadOrAMissingLineIsNoRestriction() throws Exception {
    assertNull(ProcAffinity.read(proc, 99, 8), "no such thread");
    status(46, null);
    assertNull(ProcAffinity.read(proc, 46, 8), "no Cpus_allowed_list line");
  }
}
