package dev.ghostgym.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigResolveOptions;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigValueType;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Loads workloads: a built-in (a HOCON resource {@code workloads/NAME.conf}) or a {@code .conf}
 * file, with {@code --set key=value} overrides of its top-level parameters. A workload file is
 *
 * <pre>
 * description = "one line"
 * load = 0.7                       # top-level parameters: any key but description/sources
 * service = "exp(1ms)"
 * sources {
 *   req {                          # source name; sources are taken in file order
 *     arrival { type = poisson, load = ${load} }   # or rate = 1000; fixed {times | count, at, every}; pool {workers};
 *                                  #   worker-pool {workers, load | rate}: requests served by a thread pool
 *     class = req                  # default: the source name
 *     enclave = true               # false: a CFS task (antagonist)
 *     nice = 0, hint = 0           # -20..19; application hint >= 0
 *     deadline = "const(1ms)"      # optional
 *     service = ${service}         # or program = [{run: D}, {sleep: D}, yield, depart,
 *   }                              #   {spawn: {template}}, {loop: N, do: [steps]}]
 * }
 * </pre>
 *
 * Overrides replace a parameter as a plain string before substitutions are resolved, so a parameter
 * referenced as {@code ${service}} changes everywhere it is used. {@code load} is a target
 * utilisation per CPU: the Poisson rate is {@code load * cpus / E[S]} with {@code E[S]} the
 * program's mean CPU demand. See {@code config/WORKLOADS.md} for the full schema.
 */
public final class Workloads {
  /** The built-in workloads, in the order {@code ghost-gym workloads} lists them. */
  public static final List<String> BUILTINS =
      List.of(
          "mmc",
          "rocksdb-shinjuku",
          "rocksdb-hinted",
          "rocksdb-paper",
          "centralized-queuing",
          "rocksdb-pool",
          "rocksdb-hinted-pool",
          "rocksdb-paper-pool",
          "centralized-queuing-pool",
          "antagonist",
          "batch-mix",
          "seed-single-exp",
          "seed-simple-exp",
          "seed-yield-exp",
          "seed-depart-exp");

  private static final Pattern REFERENCE = Pattern.compile("\\$\\{\\??\\s*([^}]+?)\\s*}");
  private static final ConfigResolveOptions RESOLVE =
      ConfigResolveOptions.defaults().setUseSystemEnvironment(false);

  private Workloads() {}

  /**
   * Loads, overrides, resolves and checks a workload.
   *
   * @param nameOrFile a built-in name or a path to a {@code .conf} file
   * @param overrides parameter values as written after {@code --set} (no HOCON quoting)
   * @param cpus CPUs the workload runs on; turns {@code load} into a rate
   * @throws ConfigError for an unknown name, a syntax error ({@code file:line}), an unknown
   *     override key, or any invalid value (naming its path)
   */
  public static Workload load(String nameOrFile, Map<String, String> overrides, int cpus) {
    if (cpus < 1) throw new ConfigError("cpus", "expected at least 1 CPU; got " + cpus);
    String name = displayName(nameOrFile);
    Config config = parse(nameOrFile);
    List<String> params = parameters(config);
    Map<String, String> sorted = overrides == null ? new TreeMap<>() : new TreeMap<>(overrides);
    for (Map.Entry<String, String> e : sorted.entrySet()) {
      String key = e.getKey();
      String origin = "--set " + key + "=" + e.getValue();
      if (!params.contains(key)) {
        throw new ConfigError(
            key,
            origin,
            "workload '"
                + name
                + "' has no parameter '"
                + key
                + "'; its parameters are: "
                + String.join(", ", params));
      }
      if (e.getValue() == null) throw new ConfigError(key, origin, "expected a value");
      config =
          config.withValue(
              ConfigUtil.joinPath(key), ConfigValueFactory.fromAnyRef(e.getValue(), origin));
    }
    Map<String, String> aliases = aliases(config, params);
    Config resolved = resolve(config);
    Node root = Node.root(resolved.root(), aliases);
    Node description = root.field("description");
    return new Workload(
        name,
        description.present() ? description.text("one line of text") : "",
        WorkloadReader.sources(root, cpus),
        paramValues(resolved, params));
  }

  /** The built-ins with their descriptions and parameter defaults, for listing. */
  public static List<WorkloadInfo> builtins() {
    List<WorkloadInfo> out = new ArrayList<>();
    for (String name : BUILTINS) {
      Config resolved = resolve(parse(name));
      String description = resolved.hasPath("description") ? resolved.getString("description") : "";
      out.add(new WorkloadInfo(name, description, paramValues(resolved, parameters(resolved))));
    }
    return out;
  }

  private static Config parse(String nameOrFile) {
    ConfigParseOptions strict = ConfigParseOptions.defaults().setAllowMissing(false);
    try {
      if (BUILTINS.contains(nameOrFile)) {
        return ConfigFactory.parseResources(
            Workloads.class, "/workloads/" + nameOrFile + ".conf", strict);
      }
      Path file = Path.of(nameOrFile);
      if (Files.isRegularFile(file)) return ConfigFactory.parseFile(file.toFile(), strict);
    } catch (ConfigException e) {
      throw ConfigError.of(e);
    } catch (RuntimeException badPath) {
      // An invalid path string falls through to the unknown-name error below.
    }
    boolean looksLikeFile =
        nameOrFile.endsWith(".conf")
            || nameOrFile.contains("/")
            || nameOrFile.contains(File.separator);
    if (looksLikeFile) {
      boolean dir = false;
      try {
        dir = Files.isDirectory(Path.of(nameOrFile));
      } catch (RuntimeException badPath) {
        // not a path at all: reported as missing
      }
      throw new ConfigError(
          "",
          (dir
              ? "workload file '" + nameOrFile + "' is a directory; expected a HOCON .conf file"
              : "no such workload file '" + nameOrFile + "'"));
    }
    throw new ConfigError(
        "",
        "unknown workload '"
            + nameOrFile
            + "'; expected a built-in ("
            + String.join(", ", BUILTINS)
            + ") or a path to a .conf file");
  }

  private static Config resolve(Config config) {
    try {
      return config.resolve(RESOLVE);
    } catch (ConfigException e) {
      throw ConfigError.of(e);
    }
  }

  /** Top-level keys other than description and sources, in the order the file declares them. */
  private static List<String> parameters(Config config) {
    ConfigObject root = config.root();
    List<String> keys = new ArrayList<>();
    for (String k : root.keySet()) if (!WorkloadReader.RESERVED.contains(k)) keys.add(k);
    keys.sort(
        Comparator.<String>comparingInt(k -> root.get(k).origin().lineNumber())
            .thenComparing(k -> k));
    return keys;
  }

  private static Map<String, String> paramValues(Config resolved, List<String> params) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String k : params) {
      ConfigValue v = resolved.root().get(k);
      out.put(
          k,
          v.valueType() == ConfigValueType.STRING
              ? (String) v.unwrapped()
              : v.render(ConfigRenderOptions.concise()));
    }
    return out;
  }

  /**
   * Before resolution, finds every value under {@code sources} written as exactly {@code ${param}},
   * so errors there can name the parameter the user sets. Only improves messages: any surprise in
   * Typesafe's unresolved tree just yields fewer aliases.
   */
  private static Map<String, String> aliases(Config unresolved, List<String> params) {
    Map<String, String> out = new HashMap<>();
    try {
      walk(unresolved.root().get("sources"), "sources", params, out);
    } catch (ConfigException | ClassCastException ignored) {
      // Leave the aliases found so far.
    }
    return out;
  }

  private static void walk(
      ConfigValue v, String location, List<String> params, Map<String, String> out) {
    if (v == null) return;
    ConfigValueType type;
    try {
      type = v.valueType();
    } catch (ConfigException.NotResolved unresolved) {
      Matcher m = REFERENCE.matcher(v.render(ConfigRenderOptions.concise()));
      if (m.matches() && params.contains(m.group(1))) out.put(location, m.group(1));
      return;
    }
    if (type == ConfigValueType.OBJECT) {
      for (Map.Entry<String, ConfigValue> e : ((ConfigObject) v).entrySet()) {
        walk(e.getValue(), Node.join(location, e.getKey()), params, out);
      }
    } else if (type == ConfigValueType.LIST) {
      ConfigList list = (ConfigList) v;
      for (int i = 0; i < list.size(); i++)
        walk(list.get(i), location + "[" + i + "]", params, out);
    }
  }

  private static String displayName(String nameOrFile) {
    if (BUILTINS.contains(nameOrFile)) return nameOrFile;
    try {
      Path file = Path.of(nameOrFile).getFileName();
      return file == null ? nameOrFile : file.toString();
    } catch (RuntimeException badPath) {
      return nameOrFile;
    }
  }
}
