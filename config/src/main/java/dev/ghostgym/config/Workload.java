package dev.ghostgym.config;

import java.util.List;
import java.util.Map;

/**
 * A resolved workload: every value checked, every rate known. The simulator turns each {@link
 * Source} into tasks; sources are independent streams so that one seed fixes them all.
 *
 * @param name built-in name or file name
 * @param description one line for {@code ghost-gym workloads}
 * @param sources task sources, in declaration order (the order fixes their random streams)
 * @param params the top-level parameters as resolved (e.g. load, service), for reports
 */
public record Workload(
    String name, String description, List<Source> sources, Map<String, String> params) {
  public Workload {
    sources = List.copyOf(sources);
    params = Map.copyOf(params);
  }
}
