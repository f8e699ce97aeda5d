package dev.ghostgym.learn.deploy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.ghostgym.actors.policy.Policy;
import dev.ghostgym.config.AtomicFile;
import dev.ghostgym.gym.sched.PickNextEnv;
import dev.ghostgym.learn.Checkpoint;
import dev.ghostgym.learn.Evaluation;
import dev.ghostgym.learn.LearnError;
import dev.ghostgym.learn.LearnedPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The deployable forms of a trained policy, beside its checkpoint: {@code actor.json} (the policy
 * network as float arrays), {@code tree.json} (the distilled tree) and, in {@code checkpoint.json},
 * {@code decision_cost_ns} (the default form's cost per decision, measured on this machine by
 * {@link Calibration}), {@code decision_cost_ns_by_form}, {@code tree_agreement} and the machine
 * the costs were measured on. {@link #export} writes them (after training, or {@code ghost-gym
 * export}); {@link #load} builds the policy of a form, charging its stored cost unless told
 * otherwise.
 */
public final class Deployment {
  public static final String ACTOR = "actor.json";
  public static final String TREE = "tree.json";

  /** The form {@code model:DIR} runs when none is named. */
  public static final FastPolicy.Form DEFAULT_FORM = FastPolicy.Form.MLP;

  static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private Deployment() {}

  /** What export measured. */
  public record Exported(
      Map<String, Long> costNs, double treeAgreement, int treeNodes, int treeDepth, int samples) {}

  /** Exports {@code dir}'s network, distils the tree, calibrates every form and records it all. */
  public static Exported export(Path dir, Distiller.Settings settings) {
    Checkpoint c = Checkpoint.read(dir);
    ArrayMlp mlp;
    long djlCost;
    try (LearnedPolicy djl = LearnedPolicy.load(dir)) {
      mlp = djl.exportMlp();
      PickNextEnv env = new PickNextEnv(c.options());
      djlCost = Calibration.nsPerDecision(djl, env.slots(), cpus(c), 200, 20);
    }
    PickNextEnv env = new PickNextEnv(c.options());
    Distiller.Result d = Distiller.distil(c, env, mlp, settings);
    long mlpCost =
        Calibration.nsPerDecision(
            FastPolicy.mlp("mlp", env, mlp, 0, c.seed()), env.slots(), cpus(c), 20_000, 100);
    long treeCost =
        Calibration.nsPerDecision(
            FastPolicy.tree("tree", env, d.tree(), 0, c.seed()), env.slots(), cpus(c), 20_000, 100);
    write(dir.resolve(ACTOR), Codec.mlp(mlp));
    write(dir.resolve(TREE), Codec.tree(d.tree(), d.agreement(), d.samples()));
    Map<String, Long> costs = new LinkedHashMap<>();
    costs.put("djl", djlCost);
    costs.put("mlp", mlpCost);
    costs.put("tree", treeCost);
    Map<String, Object> extra = new LinkedHashMap<>();
    extra.put("decision_cost_ns", costs.get(DEFAULT_FORM.id()));
    extra.put("decision_cost_form", DEFAULT_FORM.id());
    extra.put("decision_cost_ns_by_form", costs);
    extra.put("decision_cost_machine", Calibration.machine());
    extra.put("decision_cost_measured", Instant.now().toString());
    extra.put("tree_agreement", d.agreement());
    updateCheckpoint(dir, extra);
    return new Exported(costs, d.agreement(), d.tree().nodes(), d.tree().depth(), d.samples());
  }

  /** A loaded policy of a form and the cost it charges, with where that cost came from. */
  public record Loaded(Policy policy, FastPolicy.Form form, long costNs, String costSource) {}

  /**
   * The policy of {@code dir} in {@code form}. {@code costNs} null charges the form's calibrated
   * cost (an error if the model was never exported: no cost is ever guessed); otherwise that cost.
   */
  public static Loaded load(Path dir, FastPolicy.Form form, Long costNs) {
    Checkpoint c = Checkpoint.read(dir);
    Map<String, Object> meta = readMap(dir.resolve(Checkpoint.META));
    long cost;
    String source;
    if (costNs != null) {
      cost = costNs;
      source = "set";
    } else {
      Object byForm = meta.get("decision_cost_ns_by_form");
      Object v = byForm instanceof Map<?, ?> m ? m.get(form.id()) : null;
      if (!(v instanceof Number n)) {
        throw new LearnError(
            "checkpoint "
                + dir
                + ": no calibrated decision_cost_ns for form "
                + form.id()
                + " (run: ghost-gym export "
                + dir
                + ", or set policy.decision_cost)");
      }
      cost = n.longValue();
      source =
          "calibrated "
              + meta.getOrDefault("decision_cost_measured", "?")
              + " on "
              + meta.getOrDefault("decision_cost_machine", "?");
    }
    String name = "model:" + c.algo() + (form == DEFAULT_FORM ? "" : "/" + form.id());
    PickNextEnv env = new PickNextEnv(c.options());
    Policy p =
        switch (form) {
          case DJL -> LearnedPolicy.load(dir).charging(cost);
          case MLP ->
              FastPolicy.mlp(name, env, Codec.mlp(readMap(need(dir, ACTOR))), cost, c.seed());
          case TREE ->
              FastPolicy.tree(name, env, Codec.tree(readMap(need(dir, TREE))), cost, c.seed());
        };
    return new Loaded(p, form, cost, source);
  }

  private static Path need(Path dir, String file) {
    Path p = dir.resolve(file);
    if (!Files.isRegularFile(p))
      throw new LearnError(
          "checkpoint " + dir + ": no " + file + " (run: ghost-gym export " + dir + ")");
    return p;
  }

  /**
   * Adds keys to checkpoint.json (temporary file and rename; the other keys are kept as they are).
   */
  static void updateCheckpoint(Path dir, Map<String, Object> extra) {
    Map<String, Object> m = readMap(dir.resolve(Checkpoint.META));
    m.putAll(extra);
    write(dir.resolve(Checkpoint.META), m);
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> readMap(Path file) {
    try {
      return new LinkedHashMap<>(JSON.readValue(file.toFile(), Map.class));
    } catch (IOException e) {
      throw new LearnError(file + ": unreadable (" + e.getMessage() + ")", e);
    }
  }

  static void write(Path file, Object value) {
    try {
      AtomicFile.writeBytes(file, JSON.writeValueAsBytes(value));
    } catch (IOException e) {
      throw new LearnError(file + ": cannot write (" + e.getMessage() + ")", e);
    }
  }

  static int cpus(Checkpoint c) {
    return Evaluation.cpus(c.options());
  }
}
