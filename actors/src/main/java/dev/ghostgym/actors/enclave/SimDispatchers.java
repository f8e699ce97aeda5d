package dev.ghostgym.actors.enclave;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.dispatch.DispatcherConfigurator;
import org.apache.pekko.dispatch.Dispatchers;

/**
 * The caller-runs dispatchers of one actor system (a Pekko extension): each simulation in progress
 * leases one, so that simulations on different threads never run each other's actors, and gives it
 * back when it ends. Dispatchers are copies of {@code ghost-gym.caller-runs-dispatcher} registered
 * under ids {@code ghost-gym.caller-runs-dispatcher-N}; there are only as many as simulations ever
 * ran at the same time, so one actor system can serve any number of runs.
 */
public final class SimDispatchers implements Extension {
  static final String TEMPLATE = "ghost-gym.caller-runs-dispatcher";
  private static final AtomicLong KEYS = new AtomicLong();

  /** A dispatcher id and the executor its actors run on. */
  public record Lease(String dispatcherId, CallerRunsExecutor executor) {}

  private static final class Id extends ExtensionId<SimDispatchers> {
    @Override
    public SimDispatchers createExtension(ActorSystem<?> system) {
      return new SimDispatchers(system);
    }
  }

  private static final Id ID = new Id();

  public static SimDispatchers get(ActorSystem<?> system) {
    return ID.apply(system);
  }

  private final org.apache.pekko.actor.ActorSystem classic;
  private final ConcurrentLinkedDeque<Lease> free = new ConcurrentLinkedDeque<>();
  private final AtomicInteger created = new AtomicInteger();

  private SimDispatchers(ActorSystem<?> system) {
    this.classic = Adapter.toClassic(system);
  }

  /** A dispatcher no simulation uses now. */
  public Lease acquire() {
    Lease l = free.pollFirst();
    return l != null ? l : create();
  }

  /**
   * Gives a dispatcher back once its simulation's actors have stopped. A task that still arrives
   * for them (from another thread) runs harmlessly in the next simulation's drain.
   */
  public void release(Lease lease) {
    free.addFirst(lease);
  }

  private Lease create() {
    String id = TEMPLATE + "-" + created.getAndIncrement();
    String key = "sim-" + KEYS.incrementAndGet();
    Dispatchers dispatchers = classic.dispatchers();
    Config cfg =
        ConfigFactory.parseMap(Map.of("id", id, "name", id, "caller-runs.key", key))
            .withFallback(classic.settings().config().getConfig(TEMPLATE))
            .withFallback(dispatchers.defaultDispatcherConfig());
    dispatchers.registerConfigurator(
        id, new DispatcherConfigurator(cfg, dispatchers.prerequisites()));
    return new Lease(id, CallerRunsConfigurator.executor(key));
  }
}
