package dev.ghostgym.learn;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.ghostgym.config.AtomicFile;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A saved learner in a directory: {@code model.params} (the network's DJL parameters) and {@code
 * checkpoint.json} (algorithm, hyper-parameters, environment id and options, observation size,
 * action count, hidden layers, steps done, seed). Enough to resume training or to answer as a
 * {@link LearnedPolicy} with the observation the environment showed in training.
 *
 * @param algo "ppo" (network outputs logits and value) or "dqn" (Q-values)
 * @param options the environment options of training, values as strings or numbers
 */
public record Checkpoint(
    String algo,
    String envId,
    Map<String, Object> options,
    int obsDim,
    int actions,
    List<Integer> hidden,
    Map<String, Object> config,
    long steps,
    long seed) {
  public static final String META = "checkpoint.json";
  public static final String PARAMS = "model.params";
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** This checkpoint at another step. */
  public Checkpoint withSteps(long s) {
    return new Checkpoint(algo, envId, options, obsDim, actions, hidden, config, s, seed);
  }

  public int[] hiddenArray() {
    return hidden.stream().mapToInt(Integer::intValue).toArray();
  }

  /** The network this checkpoint describes, freshly initialised (load parameters into it). */
  public Block newBlock() {
    return algo.equals("ppo")
        ? Nets.actorCritic(hiddenArray(), actions)
        : Nets.mlp(hiddenArray(), actions);
  }

  /** Writes the model for deployment only (no state to resume from). */
  public void save(Path dir, Block block) {
    save(dir, block, null);
  }

  /**
   * Writes {@code model.params} and {@code checkpoint.json}, and with a snapshot its {@code
   * state-STEP.bin}. Each file is written to a temporary name and renamed; the state file first,
   * {@code checkpoint.json} last, and it names the state file and the parameters' SHA-256. So a run
   * killed at any point leaves a {@code checkpoint.json} whose state file is complete, and a {@code
   * model.params} that either matches it or (killed between the last two renames) is detected by
   * its hash and replaced by the state file's copy of the parameters when loaded.
   */
  void save(Path dir, Block block, Snapshot snapshot) {
    try {
      Files.createDirectories(dir);
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      Nets.save(block, bytes);
      byte[] params = bytes.toByteArray();
      String state = null;
      if (snapshot != null) {
        state = Snapshot.fileName(snapshot.step());
        snapshot.write(dir.resolve(state));
      }
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("algo", algo);
      m.put("env_id", envId);
      m.put("options", options);
      m.put("obs_dim", obsDim);
      m.put("actions", actions);
      m.put("hidden", hidden);
      m.put("config", config);
      m.put("steps", steps);
      m.put("seed", seed);
      m.put("params_sha256", sha256(params));
      if (state != null) m.put("state", state);
      byte[] meta = JSON.writeValueAsBytes(m);
      AtomicFile.write(dir.resolve(PARAMS), o -> o.write(params));
      AtomicFile.write(dir.resolve(META), o -> o.write(meta));
      try (DirectoryStream<Path> old = Files.newDirectoryStream(dir, "state-*.bin")) {
        for (Path p : old) if (!p.getFileName().toString().equals(state)) Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new LearnError("checkpoint " + dir + ": cannot write (" + e.getMessage() + ")", e);
    }
  }

  /**
   * Reads {@code dir/checkpoint.json}; anything but a checkpoint written by train is one clean
   * error.
   */
  @SuppressWarnings("unchecked")
  public static Checkpoint read(Path dir) {
    Map<String, Object> m = json(dir);
    Path meta = dir.resolve(META);
    try {
      for (String k : List.of("algo", "env_id", "options", "obs_dim", "actions", "hidden")) {
        if (m.get(k) == null)
          throw new LearnError("checkpoint " + meta + ": field '" + k + "' is missing");
      }
      String algo = String.valueOf(m.get("algo"));
      if (!algo.equals("ppo") && !algo.equals("dqn")) {
        throw new LearnError(
            "checkpoint " + meta + ": algo: expected ppo or dqn, got '" + algo + "'");
      }
      List<Integer> hidden = new ArrayList<>();
      for (Object h : (List<Object>) m.get("hidden")) hidden.add(positive(meta, "hidden", h));
      long steps = ((Number) m.getOrDefault("steps", 0)).longValue();
      if (steps < 0)
        throw new LearnError("checkpoint " + meta + ": steps: expected >= 0, got " + steps);
      return new Checkpoint(
          algo,
          String.valueOf(m.get("env_id")),
          (Map<String, Object>) m.get("options"),
          positive(meta, "obs_dim", m.get("obs_dim")),
          positive(meta, "actions", m.get("actions")),
          List.copyOf(hidden),
          (Map<String, Object>) m.getOrDefault("config", Map.of()),
          steps,
          ((Number) m.getOrDefault("seed", 0)).longValue());
    } catch (ClassCastException | NullPointerException e) {
      throw new LearnError(
          "checkpoint " + meta + ": a field has the wrong type (" + e.getMessage() + ")", e);
    }
  }

  private static int positive(Path meta, String field, Object v) {
    if (!(v instanceof Number n)
        || n.longValue() < 1
        || n.longValue() > 1 << 20
        || n.doubleValue() != n.longValue()) {
      throw new LearnError(
          "checkpoint " + meta + ": " + field + ": expected a positive integer, got " + v);
    }
    return n.intValue();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> json(Path dir) {
    Path meta = dir.resolve(META);
    if (!Files.isRegularFile(meta)) {
      throw new LearnError(
          "checkpoint "
              + dir
              + ": no "
              + META
              + " (expected a directory written by ghost-gym train)");
    }
    try {
      Object v = JSON.readValue(meta.toFile(), Object.class);
      if (!(v instanceof Map))
        throw new LearnError("checkpoint " + meta + ": expected a JSON object");
      return (Map<String, Object>) v;
    } catch (IOException e) {
      throw new LearnError("checkpoint " + meta + ": unreadable (" + Failure.line(e) + ")", e);
    }
  }

  /** The state file the checkpoint names, or null (a checkpoint from before resumable state). */
  static Snapshot snapshot(Path dir) {
    Object name = json(dir).get("state");
    if (name == null) return null;
    Path file = dir.resolve(String.valueOf(name));
    if (!file.getFileName().toString().matches("state-[0-9]+\\.bin")
        || !Files.isRegularFile(file)) {
      throw new LearnError(
          "checkpoint " + dir + ": state file " + name + " is missing (copy the whole directory)");
    }
    try {
      return Snapshot.read(file);
    } catch (IOException e) {
      throw new LearnError("checkpoint " + file + ": unreadable (" + Failure.line(e) + ")", e);
    }
  }

  /**
   * Loads the network's parameters into {@code block} (made by {@link #newBlock} and initialised):
   * {@code model.params}, or the state file's copy when {@code model.params} does not match the
   * hash in {@code checkpoint.json} (a save killed between its last two renames).
   */
  public static void loadParams(Path dir, Block block, NDManager m) {
    Path file = dir.resolve(PARAMS);
    try {
      if (!Files.isRegularFile(file)) {
        throw new LearnError(
            "checkpoint "
                + dir
                + ": no "
                + PARAMS
                + " (the network's parameters; copy the whole directory)");
      }
      byte[] params = Files.readAllBytes(file);
      Object want = json(dir).get("params_sha256");
      if (want != null && !want.equals(sha256(params))) {
        Snapshot s = snapshot(dir);
        if (s == null || !want.equals(sha256(s.params()))) {
          throw new LearnError(
              "checkpoint "
                  + file
                  + ": does not match "
                  + META
                  + " (params_sha256); retrain or restore the directory");
        }
        params = s.params();
      }
      Nets.load(block, m, new ByteArrayInputStream(params));
    } catch (IOException | RuntimeException e) {
      if (e instanceof LearnError le) throw le;
      throw new LearnError("checkpoint " + file + ": cannot load (" + Failure.line(e) + ")", e);
    }
  }

  static String sha256(byte[] b) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public static boolean exists(Path dir) {
    return Files.isRegularFile(dir.resolve(META)) && Files.isRegularFile(dir.resolve(PARAMS));
  }
}
