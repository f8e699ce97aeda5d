package dev.ghostgym.learn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.EngineException;
import org.junit.jupiter.api.Test;

class TorchErrorTest {
  @Test
  void aMissingEngineIsOneClearLine() {
    String m =
        Torch.missing(
            new EngineException("Deep learning engine not found: PyTorch\n\tat somewhere"));
    assertTrue(
        m.startsWith(
            "learn: the PyTorch engine could not start (Deep learning engine not found: PyTorch)"),
        m);
    assertTrue(m.contains("pytorch-native-cpu"), m);
    assertEquals(1, m.lines().count());
  }

  @Test
  void aBrokenNativeLibraryNamesTheRootCause() {
    Throwable t =
        new RuntimeException(
            "wrapper", new UnsatisfiedLinkError("libtorch_cpu.so: cannot open shared object file"));
    String m = Torch.missing(t);
    assertTrue(m.contains("libtorch_cpu.so: cannot open shared object file"), m);
  }
}
