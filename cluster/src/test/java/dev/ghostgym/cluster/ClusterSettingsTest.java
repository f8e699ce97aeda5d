package dev.ghostgym.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClusterSettingsTest {
  @Test
  void defaultsBindToLoopbackAsAWorkerWithASplitBrainResolver() {
    ClusterSettings s =
        ClusterSettings.from(
            ConfigFactory.parseString("").withFallback(ConfigFactory.defaultReference()));
    assertEquals("127.0.0.1", s.host());
    assertEquals(2552, s.port());
    assertEquals(List.of(), s.seedNodes());
    assertEquals(List.of("worker"), s.roles());
    assertEquals(Duration.ofSeconds(10), s.stepTimeout());
    Config p = s.pekkoConfig();
    assertEquals("cluster", p.getString("pekko.actor.provider"));
    assertEquals("127.0.0.1", p.getString("pekko.remote.artery.canonical.hostname"));
    assertEquals(
        "org.apache.pekko.cluster.sbr.SplitBrainResolverProvider",
        p.getString("pekko.cluster.downing-provider-class"));
    assertEquals(
        "keep-majority", p.getString("pekko.cluster.split-brain-resolver.active-strategy"));
    assertEquals("none", p.getString("pekko.cluster.sharding.passivation.strategy"));
  }

  @Test
  void commandLineOverridesBecomePekkoSettings() {
    ClusterSettings s =
        ClusterSettings.load()
            .withHost("10.0.0.5")
            .withPort(2600)
            .withSeedNodes(ClusterSettings.parseSeedNodes("10.0.0.1:2552, 10.0.0.2:2552"))
            .withRoles(List.of("learner"));
    Config p = s.pekkoConfig();
    assertEquals(
        List.of("pekko://ghost-gym@10.0.0.1:2552", "pekko://ghost-gym@10.0.0.2:2552"),
        p.getStringList("pekko.cluster.seed-nodes"));
    assertEquals(2600, p.getInt("pekko.remote.artery.canonical.port"));
    assertEquals(List.of("learner"), p.getStringList("pekko.cluster.roles"));
    assertTrue(!s.isWorker());
    assertEquals(List.of(), ClusterSettings.parseSeedNodes(" "));
  }

  @Test
  void badValuesNameTheirField() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> ClusterSettings.load().withSeedNodes(List.of("localhost")));
    assertEquals("seed-nodes: expected HOST:PORT, got 'localhost'", e.getMessage());
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> ClusterSettings.load().withPort(70_000))
            .getMessage()
            .startsWith("port:"));
    assertTrue(
        assertThrows(
                IllegalArgumentException.class,
                () -> ClusterSettings.load().withStepTimeout(Duration.ZERO))
            .getMessage()
            .startsWith("step-timeout:"));
  }
}
