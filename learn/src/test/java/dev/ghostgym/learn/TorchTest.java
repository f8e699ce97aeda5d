package dev.ghostgym.learn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class TorchTest {
  @Test
  void engineStartsOfflineWithItsCacheUnderTarget() {
    try (NDManager m = Torch.manager()) {
      NDArray a = m.create(new float[] {1, 2, 3});
      assertEquals(14f, a.mul(a).sum().getFloat(), 1e-6);
    }
    Path cache = Path.of(System.getProperty("DJL_CACHE_DIR"));
    assertTrue(cache.toString().contains("target"), cache.toString());
    assertTrue(Files.isDirectory(cache), "native cache " + cache);
    assertEquals("true", System.getProperty("ai.djl.offline"));
  }
}
