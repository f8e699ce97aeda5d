package dev.ghostgym.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BenchCommandTest {
  @Test
  void measuresEveryLineAndWritesJson() throws Exception {
    Cli r = Cli.run("bench", "--seconds", "0.05", "--json", "-");
    assertEquals(0, r.code(), r.err());
    JsonNode doc = new ObjectMapper().readTree(r.out());
    List<String> names = new ArrayList<>();
    for (JsonNode row : doc.get("results")) {
      names.add(row.get("name").asText());
      assertTrue(row.get("value").asDouble() > 0, row.toString());
    }
    assertEquals(
        List.of(
            "simulator", "actor path", "env", "vector env", "decision: fifo", "decision: shinjuku"),
        names);
    assertTrue(
        doc.get("results").get(4).get("setup").asText().matches(".*[1-9][0-9,]* decisions.*"));
  }

  @Test
  void badSecondsIsExitTwo() {
    assertEquals(2, Cli.run("bench", "--seconds", "0").code());
    assertEquals(2, Cli.run("bench", "--model", "/no/such/dir").code());
  }
}
