package dev.ghostgym.gym;

import java.util.List;

/**
 * What {@link EnvChecker#check} found when every check passed: the checks passed (with what they
 * covered), the checks skipped and why, and warnings (problems that are not contract violations).
 */
public record CheckReport(
    String env, List<String> passed, List<String> skipped, List<String> warnings) {
  public CheckReport {
    passed = List.copyOf(passed);
    skipped = List.copyOf(skipped);
    warnings = List.copyOf(warnings);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("env check of ").append(env).append(": passed\n");
    passed.forEach(p -> sb.append("  ok      ").append(p).append('\n'));
    skipped.forEach(p -> sb.append("  skipped ").append(p).append('\n'));
    warnings.forEach(p -> sb.append("  WARNING ").append(p).append('\n'));
    return sb.toString();
  }
}
