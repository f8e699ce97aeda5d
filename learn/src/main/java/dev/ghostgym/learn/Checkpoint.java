package dev.ghostgym.learn;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A saved learner in a directory: {@code model.params} (the network's DJL parameters) and
 * {@code checkpoint.json} (algorithm, hyper-parameters, environment id and options, observation
 * size, action count, hidden layers, steps done, seed). Enough to resume training or to answer as a
 * {@link LearnedPolicy} with the observation the environment showed in training.
 *
 * @param algo    "ppo" (network outputs logits and value) or "dqn" (Q-values)
 * @param options the environment options of training, values as strings or numbers
 */
public record Checkpoint(String algo, String envId, Map<String, Object> options, int obsDim, int actions,
                         List<Integer> hidden, Map<String, Object> config, long steps, long seed) {
  public static final String META = "checkpoint.json";
  public static final String PARAMS = "model.params";
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  public int[] hiddenArray() {
    return hidden.stream().mapToInt(Integer::intValue).toArray();
  }

  /** The network this checkpoint describes, freshly initialised (load parameters into it). */
  public Block newBlock() {
    return algo.equals("ppo") ? Nets.actorCritic(hiddenArray(), actions) : Nets.mlp(hiddenArray(), actions);
  }

  /** Writes both files (each via a temporary file and a rename, so a crash leaves the old ones). */
  public void save(Path dir, Block block) {
    try {
      Files.createDirectories(dir);
      Path tmp = dir.resolve(PARAMS + ".tmp");
      try (OutputStream out = Files.newOutputStream(tmp)) {
        Nets.save(block, out);
      }
      Files.move(tmp, dir.resolve(PARAMS), StandardCopyOption.REPLACE_EXISTING);
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
      Path tmpMeta = dir.resolve(META + ".tmp");
      JSON.writeValue(tmpMeta.toFile(), m);
      Files.move(tmpMeta, dir.resolve(META), StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new LearnError("checkpoint " + dir + ": cannot write (" + e.getMessage() + ")", e);
    }
  }

  /** Reads {@code dir/checkpoint.json}. */
  @SuppressWarnings("unchecked")
  public static Checkpoint read(Path dir) {
    Path meta = dir.resolve(META);
    try {
      Map<String, Object> m = JSON.readValue(meta.toFile(), Map.class);
      for (String k : List.of("algo", "env_id", "options", "obs_dim", "actions", "hidden")) {
        if (!m.containsKey(k)) throw new LearnError("checkpoint " + meta + ": field '" + k + "' is missing");
      }
      String algo = String.valueOf(m.get("algo"));
      if (!algo.equals("ppo") && !algo.equals("dqn")) {
        throw new LearnError("checkpoint " + meta + ": algo: expected ppo or dqn, got '" + algo + "'");
      }
      return new Checkpoint(algo, String.valueOf(m.get("env_id")), (Map<String, Object>) m.get("options"),
          ((Number) m.get("obs_dim")).intValue(), ((Number) m.get("actions")).intValue(),
          (List<Integer>) m.get("hidden"), (Map<String, Object>) m.getOrDefault("config", Map.of()),
          ((Number) m.getOrDefault("steps", 0)).longValue(), ((Number) m.getOrDefault("seed", 0)).longValue());
    } catch (NoSuchFileException | FileNotFoundException e) {
      throw new LearnError("checkpoint " + dir + ": no " + META + " (expected a directory written by ghost-gym train)");
    } catch (IOException | ClassCastException e) {
      throw new LearnError("checkpoint " + meta + ": unreadable (" + e.getMessage() + ")", e);
    }
  }

  /** Loads {@code dir/model.params} into {@code block} (made by {@link #newBlock} and initialised). */
  public static void loadParams(Path dir, Block block, NDManager m) {
    try (InputStream in = Files.newInputStream(dir.resolve(PARAMS))) {
      Nets.load(block, m, in);
    } catch (IOException e) {
      throw new LearnError("checkpoint " + dir.resolve(PARAMS) + ": cannot load (" + e.getMessage() + ")", e);
    }
  }

  public static boolean exists(Path dir) {
    return Files.isRegularFile(dir.resolve(META)) && Files.isRegularFile(dir.resolve(PARAMS));
  }

  /**
   * The steps already done by the run this one resumes: 0 unless {@code spec} asks to resume and
   * its output folder holds a checkpoint, which must then be of the same algorithm, observation
   * size and action count (a learner cannot continue another's network).
   *
   * @throws LearnError naming the folder and both shapes when the checkpoint does not fit
   */
  static long resumedSteps(TrainSpec spec, String algo, int obsDim, int actions) {
    if (!spec.resume() || spec.out() == null || !exists(spec.out())) return 0;
    Checkpoint old = read(spec.out());
    if (old.obsDim() != obsDim || old.actions() != actions || !old.algo().equals(algo)) {
      throw new LearnError("--resume " + spec.out() + ": the checkpoint is " + old.algo() + " with " + old.obsDim()
          + " observations and " + old.actions() + " actions; this run is " + algo + " with " + obsDim + " and "
          + actions);
    }
    return old.steps();
  }
}
