package dev.ghostgym.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A built-in workload as {@code ghost-gym workloads} lists it: its name, one line of description
 * and the default of every top-level parameter that {@code --set key=value} can change.
 *
 * @param name the built-in name, e.g. {@code rocksdb-shinjuku}
 * @param description one line
 * @param params parameter defaults as text, in the order the workload file declares them
 */
public record WorkloadInfo(String name, String description, Map<String, String> params) {
  public WorkloadInfo {
    // A copy that keeps declaration order, unlike Map.copyOf.
    params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
  }
}
