package dev.ghostgym.learn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;

/**
 * The checkpoint readers on random and mutated input: {@code checkpoint.json} gives a checkpoint or
 * a {@link LearnError} of one line, and a training state file gives a snapshot or an {@link
 * IOException} (which the readers turn into a LearnError); never another exception.
 */
class CheckpointPropertiesTest {
  private static final String VALID =
      """
      {
        "algo" : "ppo",
        "env_id" : "ghost/PickNext-v0",
        "options" : { "workload" : "mmc", "cpus" : 2 },
        "obs_dim" : 41,
        "actions" : 9,
        "hidden" : [ 32, 32 ],
        "config" : { "lr" : 0.001 },
        "steps" : 2048,
        "seed" : 5,
        "params_sha256" : "00",
        "state" : "state-2048.bin"
      }
      """;
  private static Path dir;
  private static byte[] validState;

  @BeforeContainer
  static void setUp() throws IOException {
    dir = Files.createTempDirectory("ghostgym-ckpt-props");
    Path f = dir.resolve("s.bin");
    new Snapshot(
            2048,
            new byte[] {1, 2, 3},
            null,
            new byte[] {4, 5},
            List.of(new int[] {0, 1}, new int[] {2, 3}))
        .write(f);
    validState = Files.readAllBytes(f);
  }

  @AfterContainer
  static void tearDown() throws IOException {
    try (var s = Files.list(dir)) {
      s.forEach(p -> p.toFile().delete());
    }
    Files.deleteIfExists(dir);
  }

  @Property(tries = 1500)
  void checkpointJsonReadsOrFailsCleanly(@ForAll("checkpoints") String text) {
    write(dir.resolve(Checkpoint.META), text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    String outcome;
    try {
      Checkpoint c = Checkpoint.read(dir);
      assertTrue(c.obsDim() > 0 && c.actions() > 0 && c.steps() >= 0, c.toString());
      assertTrue(c.algo().equals("ppo") || c.algo().equals("dqn"));
      outcome = "valid";
    } catch (LearnError e) {
      assertEquals(1, e.getMessage().lines().count(), e.getMessage());
      outcome = "LearnError";
    }
    Statistics.label("outcome").collect(outcome);
  }

  @Property(tries = 1500)
  void stateFileReadsOrFailsCleanly(@ForAll("states") byte[] bytes) {
    Path f = dir.resolve("state-1.bin");
    write(f, bytes);
    String outcome;
    try {
      Snapshot s = Snapshot.read(f);
      assertTrue(s.step() >= 0 && s.params() != null);
      outcome = "valid";
    } catch (IOException e) {
      outcome = "IOException";
    }
    Statistics.label("outcome").collect(outcome);
  }

  @Provide
  Arbitrary<String> checkpoints() {
    return Arbitraries.oneOf(
        Arbitraries.just(VALID),
        Arbitraries.integers().between(0, VALID.length()).map(n -> VALID.substring(0, n)),
        Arbitraries.longs().map(CheckpointPropertiesTest::mutate),
        Arbitraries.of(
                "null",
                "\"x\"",
                "[]",
                "{}",
                "1.5",
                "-1",
                "0",
                "99999999999999999999",
                "true",
                "[1, \"a\"]",
                "[-3]")
            .flatMap(
                v ->
                    Arbitraries.of(
                            "algo", "env_id", "options", "obs_dim", "actions", "hidden", "config",
                            "steps", "seed")
                        .map(
                            k ->
                                VALID.replaceFirst(
                                    "\"" + k + "\" : [^\\n]*?( ?,?)\\n",
                                    "\"" + k + "\" : " + v + "$1\n"))),
        Arbitraries.strings().ofMaxLength(60));
  }

  @Provide
  Arbitrary<byte[]> states() {
    return Arbitraries.oneOf(
        Arbitraries.just(validState),
        Arbitraries.integers()
            .between(0, validState.length)
            .map(n -> java.util.Arrays.copyOf(validState, n)),
        Arbitraries.longs()
            .map(
                seed -> {
                  SplittableRandom r = new SplittableRandom(seed);
                  byte[] b = validState.clone();
                  for (int i = 0, n = 1 + r.nextInt(4); i < n; i++)
                    b[r.nextInt(b.length)] = (byte) r.nextInt(256);
                  return b;
                }),
        Arbitraries.bytes().array(byte[].class).ofMaxSize(64));
  }

  private static String mutate(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    StringBuilder b = new StringBuilder(VALID);
    String alphabet = "{}[]\":,0123456789-.eE nultrfa\\";
    for (int i = 0, n = 1 + r.nextInt(3); i < n; i++) {
      int at = r.nextInt(b.length());
      switch (r.nextInt(3)) {
        case 0 -> b.deleteCharAt(at);
        case 1 -> b.setCharAt(at, alphabet.charAt(r.nextInt(alphabet.length())));
        default -> b.insert(at, alphabet.charAt(r.nextInt(alphabet.length())));
      }
    }
    return b.toString();
  }

  private static void write(Path f, byte[] b) {
    try {
      Files.write(f, b);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
