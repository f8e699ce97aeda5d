package dev.ghostgym.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code qos} of a source: the QoS of the work class its hint names (prio_table.h {@code
 * work_class.qos}); a work class is read-only after init, so one QoS per hint.
 */
class WorkClassQosTest {
  @TempDir Path dir;

  private Path write(String text) throws IOException {
    return Files.writeString(dir.resolve("w.conf"), text);
  }

  @Test
  void eachSourceCarriesItsWorkClassesQos() throws IOException {
    Path f =
        write(
            "sources {\n"
                + "  hi { arrival { type = poisson, load = 0.1 }, hint = 1, qos = 3, service = \"const(10us)\" }\n"
                + "  lo { arrival { type = poisson, load = 0.1 }, hint = 2, service = \"const(1ms)\" }\n"
                + "}\n");
    Workload w = Workloads.load(f.toString(), Map.of(), 2);
    assertEquals(3, w.sources().get(0).template().qos());
    assertEquals(0, w.sources().get(1).template().qos(), "no qos: 0");
  }

  @Test
  void twoQosForOneWorkClassIsAnErrorNamingTheField() throws IOException {
    Path f =
        write(
            "sources {\n"
                + "  a { arrival { type = poisson, load = 0.1 }, hint = 1, qos = 3, service = \"const(10us)\" }\n"
                + "  b { arrival { type = poisson, load = 0.1 }, hint = 1, qos = 2, service = \"const(10us)\" }\n"
                + "}\n");
    ConfigError e =
        assertThrows(ConfigError.class, () -> Workloads.load(f.toString(), Map.of(), 2));
    assertTrue(
        e.getMessage().contains("sources.b.qos")
            && e.getMessage()
                .contains("expected the QoS of work class 1 to be 3 as another source declares it"),
        e.getMessage());
    Path neg =
        write(
            "sources { a { arrival { type = poisson, load = 0.1 }, qos = -1, service = \"const(1us)\" } }");
    assertThrows(ConfigError.class, () -> Workloads.load(neg.toString(), Map.of(), 2));
  }
}
