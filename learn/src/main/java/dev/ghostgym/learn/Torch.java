package dev.ghostgym.learn;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The PyTorch engine of DJL, started offline: the native library comes from the {@code
 * pytorch-native-cpu} and {@code pytorch-jni} jars on the class path and is unpacked into a cache
 * under the build output ({@code target/djl-cache} next to the classes or jar, unless {@code
 * DJL_CACHE_DIR} is set), nothing is downloaded, and PyTorch uses one intra-op and one inter-op
 * thread unless {@code GHOST_GYM_THREADS} (or {@code ai.djl.pytorch.num_threads}) says otherwise:
 * on a small machine more threads only add contention, and one thread keeps results reproducible.
 */
public final class Torch {
  private static Engine engine;

  private Torch() {}

  /** The started engine; a missing or broken engine is a {@link LearnError} with one line. */
  public static synchronized Engine engine() {
    if (engine != null) return engine;
    configure();
    try {
      Engine e = Engine.getEngine("PyTorch");
      e.newBaseManager().close(); // loads the native library now, not at the first tensor
      engine = e;
      return e;
    } catch (Throwable t) {
      throw new LearnError(missing(t), t);
    }
  }

  /** A new root manager of the engine (close it). */
  public static NDManager manager() {
    return engine().newBaseManager();
  }

  /** Seeds the engine's generator (parameter initialisation). */
  public static void seed(long seed) {
    engine().setRandomSeed((int) (seed ^ (seed >>> 32)));
  }

  /** The intra-op thread count the engine was (or will be) started with. */
  public static int threads() {
    return Integer.parseInt(System.getProperty("ai.djl.pytorch.num_threads", "1"));
  }

  static String missing(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) root = root.getCause();
    String why =
        String.valueOf(root.getMessage())
            .lines()
            .findFirst()
            .orElse(root.getClass().getSimpleName());
    return "learn: the PyTorch engine could not start ("
        + why
        + "); expected ai.djl.pytorch:pytorch-engine, "
        + "pytorch-jni and pytorch-native-cpu (linux-x86_64) on the class path, cache "
        + System.getProperty("DJL_CACHE_DIR");
  }

  private static void configure() {
    if (System.getProperty("DJL_CACHE_DIR") == null) {
      String env = System.getenv("DJL_CACHE_DIR");
      System.setProperty("DJL_CACHE_DIR", env != null ? env : defaultCache().toString());
    }
    if (System.getProperty("ENGINE_CACHE_DIR") == null
        && System.getenv("ENGINE_CACHE_DIR") == null) {
      System.setProperty("ENGINE_CACHE_DIR", System.getProperty("DJL_CACHE_DIR"));
    }
    System.setProperty("ai.djl.offline", "true");
    if (System.getProperty("org.slf4j.simpleLogger.log.ai.djl") == null) {
      System.setProperty("org.slf4j.simpleLogger.log.ai.djl", "warn");
    }
    System.setProperty("offline", "true");
    System.setProperty("disableProgressBar", "true");
    String threads = System.getenv("GHOST_GYM_THREADS");
    if (System.getProperty("ai.djl.pytorch.num_threads") == null) {
      System.setProperty("ai.djl.pytorch.num_threads", threads != null ? threads : "1");
    }
    if (System.getProperty("ai.djl.pytorch.num_interop_threads") == null) {
      System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
    }
  }

  /**
   * target/djl-cache beside this module's classes or jar; the working directory's target/
   * otherwise.
   */
  static Path defaultCache() {
    try {
      Path code = Path.of(Torch.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      for (Path p = code; p != null; p = p.getParent()) {
        if (p.getFileName() != null
            && p.getFileName().toString().equals("target")
            && Files.isDirectory(p)) {
          return p.resolve("djl-cache");
        }
      }
      return (Files.isDirectory(code) ? code : code.getParent()).resolve("djl-cache");
    } catch (URISyntaxException | RuntimeException e) {
      return Path.of("target", "djl-cache").toAbsolutePath();
    }
  }
}
