package dev.ghostgym.cluster;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Where a cluster node binds, whom it joins and what it does, read from {@code ghost-gym.cluster}
 * in HOCON (defaults in this module's reference.conf) and overridable from the command line. Turned
 * into the Pekko configuration of one node by {@link #pekkoConfig()}, so that only cluster nodes
 * get the cluster provider, the split-brain resolver and the sharding settings.
 */
public record ClusterSettings(
    String systemName,
    String host,
    int port,
    List<String> seedNodes,
    List<String> roles,
    Duration stepTimeout,
    Duration resetTimeout,
    int numberOfShards) {
  public static final String WORKER = "worker";
  public static final String LEARNER = "learner";
  private static final Pattern HOST_PORT = Pattern.compile("[^:\\s]+:\\d{1,5}");

  public ClusterSettings {
    seedNodes = List.copyOf(seedNodes);
    roles = List.copyOf(roles);
    for (String s : seedNodes) {
      if (!HOST_PORT.matcher(s).matches()
          || Integer.parseInt(s.substring(s.lastIndexOf(':') + 1)) > 65535) {
        throw new IllegalArgumentException("seed-nodes: expected HOST:PORT, got '" + s + "'");
      }
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port: expected 0..65535, got " + port);
    }
    if (stepTimeout.isNegative() || stepTimeout.isZero()) {
      throw new IllegalArgumentException(
          "step-timeout: expected a positive duration, got " + stepTimeout);
    }
    if (numberOfShards < 1) {
      throw new IllegalArgumentException("number-of-shards: expected >= 1, got " + numberOfShards);
    }
  }

  /**
   * The defaults, with any {@code ghost-gym.cluster} settings of application.conf / system
   * properties.
   */
  public static ClusterSettings load() {
    return from(ConfigFactory.load());
  }

  public static ClusterSettings from(Config root) {
    Config c = root.getConfig("ghost-gym.cluster");
    return new ClusterSettings(
        c.getString("system-name"),
        c.getString("host"),
        c.getInt("port"),
        c.getStringList("seed-nodes"),
        c.getStringList("roles"),
        c.getDuration("step-timeout"),
        c.getDuration("reset-timeout"),
        c.getInt("number-of-shards"));
  }

  public ClusterSettings withPort(int p) {
    return new ClusterSettings(
        systemName, host, p, seedNodes, roles, stepTimeout, resetTimeout, numberOfShards);
  }

  public ClusterSettings withHost(String h) {
    return new ClusterSettings(
        systemName, h, port, seedNodes, roles, stepTimeout, resetTimeout, numberOfShards);
  }

  public ClusterSettings withSeedNodes(List<String> s) {
    return new ClusterSettings(
        systemName, host, port, s, roles, stepTimeout, resetTimeout, numberOfShards);
  }

  public ClusterSettings withRoles(List<String> r) {
    return new ClusterSettings(
        systemName, host, port, seedNodes, r, stepTimeout, resetTimeout, numberOfShards);
  }

  public ClusterSettings withStepTimeout(Duration t) {
    return new ClusterSettings(
        systemName, host, port, seedNodes, roles, t, resetTimeout, numberOfShards);
  }

  public ClusterSettings withResetTimeout(Duration t) {
    return new ClusterSettings(
        systemName, host, port, seedNodes, roles, stepTimeout, t, numberOfShards);
  }

  /** Parses {@code "HOST:PORT,HOST:PORT"} (the CLI's --seed-nodes); blank gives none. */
  public static List<String> parseSeedNodes(String csv) {
    List<String> out = new ArrayList<>();
    if (csv == null || csv.isBlank()) {
      return out;
    }
    for (String s : csv.split(",")) {
      out.add(s.trim());
    }
    return out;
  }

  public boolean isWorker() {
    return roles.contains(WORKER);
  }

  /** The Pekko address of a seed node. */
  public String seedAddress(String hostPort) {
    return "pekko://" + systemName + "@" + hostPort;
  }

  /**
   * This node's Pekko configuration: the settings above over {@code ghost-gym.cluster.pekko} over
   * the defaults.
   */
  public Config pekkoConfig() {
    Config base = ConfigFactory.load();
    List<String> seeds = new ArrayList<>();
    for (String s : seedNodes) {
      seeds.add(seedAddress(s));
    }
    Config mine =
        ConfigFactory.empty()
            .withValue(
                "pekko.remote.artery.canonical.hostname", ConfigValueFactory.fromAnyRef(host))
            .withValue("pekko.remote.artery.canonical.port", ConfigValueFactory.fromAnyRef(port))
            .withValue("pekko.cluster.seed-nodes", ConfigValueFactory.fromIterable(seeds))
            .withValue("pekko.cluster.roles", ConfigValueFactory.fromIterable(roles))
            .withValue(
                "pekko.cluster.sharding.number-of-shards",
                ConfigValueFactory.fromAnyRef(numberOfShards));
    Config clusterPekko = base.getConfig("ghost-gym.cluster").withOnlyPath("pekko");
    return mine.withFallback(clusterPekko).withFallback(base).resolve();
  }
}
