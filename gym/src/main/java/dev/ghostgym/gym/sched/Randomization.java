package dev.ghostgym.gym.sched;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Domain randomisation of a scheduling environment: each episode draws its load uniformly from
 * {@code random_load} ("0.3-0.8") and its service distribution from {@code random_service}
 * (alternatives separated by {@code |}, e.g. {@code
 * mix(0.995:const(10us),0.005:const(5ms))|exp(50us)}), from the environment's seeded generator, so
 * a policy trained on it meets many loads and service mixes and the episodes stay a function of the
 * seed. Either option may be absent.
 */
record Randomization(double loadLo, double loadHi, List<String> services) {
  static final String LOAD = "random_load";
  static final String SERVICE = "random_service";
  static final Randomization NONE = new Randomization(Double.NaN, Double.NaN, List.of());

  static Randomization parse(Map<String, Object> options) {
    if (options == null) return NONE;
    double lo = Double.NaN;
    double hi = Double.NaN;
    Object load = options.get(LOAD);
    if (load != null) {
      String s = String.valueOf(load).trim();
      int dash = s.indexOf('-', 1);
      try {
        lo = Double.parseDouble(dash < 0 ? s : s.substring(0, dash));
        hi = dash < 0 ? lo : Double.parseDouble(s.substring(dash + 1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            LOAD + ": expected LO-HI (e.g. 0.3-0.8), got '" + s + "'");
      }
      if (!(lo > 0 && hi >= lo))
        throw new IllegalArgumentException(LOAD + ": expected 0 < LO <= HI, got '" + s + "'");
    }
    Object service = options.get(SERVICE);
    List<String> services =
        service == null
            ? List.of()
            : Arrays.stream(String.valueOf(service).split("\\|"))
                .map(String::trim)
                .filter(x -> !x.isEmpty())
                .toList();
    if (service != null && services.isEmpty()) {
      throw new IllegalArgumentException(
          SERVICE + ": expected distributions separated by |, got '" + service + "'");
    }
    return new Randomization(lo, hi, services);
  }

  boolean active() {
    return !Double.isNaN(loadLo) || !services.isEmpty();
  }

  /** Draws this episode's overrides into {@code overrides} (load, service). */
  void draw(SplittableRandom random, Map<String, String> overrides) {
    if (!Double.isNaN(loadLo)) {
      double load = loadLo + (loadHi - loadLo) * random.nextDouble();
      overrides.put("load", String.format(Locale.ROOT, "%.4f", load));
    }
    if (!services.isEmpty())
      overrides.put("service", services.get(random.nextInt(services.size())));
  }
}
