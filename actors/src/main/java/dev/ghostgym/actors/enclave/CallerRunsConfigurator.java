package dev.ghostgym.actors.enclave;

import com.typesafe.config.Config;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import org.apache.pekko.dispatch.DispatcherPrerequisites;
import org.apache.pekko.dispatch.ExecutorServiceConfigurator;
import org.apache.pekko.dispatch.ExecutorServiceFactory;

/**
 * Makes a Pekko dispatcher run on a {@link CallerRunsExecutor}: named in a dispatcher's config as
 * {@code executor = "dev.ghostgym.actors.enclave.CallerRunsConfigurator"} (see {@code
 * ghost-gym.caller-runs-dispatcher} in reference.conf). The executor is found by the key {@code
 * caller-runs.key} of that config (default: the dispatcher's id), so the code that drains it can
 * get the same instance from {@link #executor(String)}.
 */
public final class CallerRunsConfigurator extends ExecutorServiceConfigurator {
  private static final ConcurrentHashMap<String, CallerRunsExecutor> EXECUTORS =
      new ConcurrentHashMap<>();

  private final CallerRunsExecutor executor;

  public CallerRunsConfigurator(Config config, DispatcherPrerequisites prerequisites) {
    super(config, prerequisites);
    this.executor =
        executor(
            config.hasPath("caller-runs.key")
                ? config.getString("caller-runs.key")
                : config.getString("id"));
  }

  /** The executor of the dispatchers configured with {@code key}. */
  public static CallerRunsExecutor executor(String key) {
    return EXECUTORS.computeIfAbsent(key, k -> new CallerRunsExecutor());
  }

  @Override
  public ExecutorServiceFactory createExecutorServiceFactory(
      String id, ThreadFactory threadFactory) {
    return executor::reopen;
  }
}
