package dev.ghostgym.cluster;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.sharding.ShardRegion;
import org.apache.pekko.cluster.sharding.typed.ShardingEnvelope;
import org.apache.pekko.cluster.sharding.typed.ShardingMessageExtractor;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.cluster.typed.Leave;
import org.apache.pekko.pattern.Patterns;

/**
 * One cluster node in this JVM: an actor system with the cluster provider, Cluster Sharding of
 * {@link EnvEntity} (hosted only on nodes with the {@code worker} role; other nodes get a proxy)
 * and, on a worker, the node's {@link EnvGateway}. With no seed nodes the node starts a cluster of
 * its own (joins itself); others join it by {@link #join(Address)} or by listing it in seed-nodes.
 */
public final class EnvNode implements AutoCloseable {
  private final ActorSystem<Void> system;
  private final ClusterSettings settings;

  private EnvNode(ClusterSettings settings, Config overrides) {
    this.settings = settings;
    this.system =
        ActorSystem.create(
            Behaviors.empty(),
            settings.systemName(),
            overrides.withFallback(settings.pekkoConfig()).resolve());
    ActorRef<EnvGateway.Command> gateway =
        settings.isWorker()
            ? system.systemActorOf(
                EnvGateway.create(), "env-gateway", org.apache.pekko.actor.typed.Props.empty())
            : null;
    ClusterSharding.get(system)
        .init(
            Entity.of(
                    EnvEntity.KEY,
                    ctx -> EnvEntity.create(Integer.parseInt(ctx.getEntityId()), gateway))
                .withRole(ClusterSettings.WORKER)
                .withMessageExtractor(new EnvShards(settings.numberOfShards())));
    if (settings.seedNodes().isEmpty()) {
      join(address());
    }
  }

  /** Starts a node; it joins its seed nodes, or itself when there are none. */
  public static EnvNode start(ClusterSettings settings) {
    return new EnvNode(settings, ConfigFactory.empty());
  }

  /**
   * As {@link #start(ClusterSettings)} with Pekko settings (HOCON) over the node's own; tests use
   * it for a node that stops without leaving the cluster: {@code
   * pekko.coordinated-shutdown.run-by-actor-system-terminate = off}.
   */
  public static EnvNode start(ClusterSettings settings, String pekkoOverrides) {
    return new EnvNode(settings, ConfigFactory.parseString(pekkoOverrides));
  }

  public ActorSystem<Void> system() {
    return system;
  }

  public ClusterSettings settings() {
    return settings;
  }

  /** This node's address, with the port actually bound (port 0 picks one). */
  public Address address() {
    return Cluster.get(system).selfMember().address();
  }

  public void join(Address seed) {
    Cluster.get(system).manager().tell(Join.create(seed));
  }

  /** Whether this node sees {@code n} members Up. */
  public boolean upMembers(int n) {
    int up = 0;
    for (org.apache.pekko.cluster.Member m : Cluster.get(system).state().getMembers()) {
      if (m.status() == MemberStatus.up()) {
        up++;
      }
    }
    return up >= n;
  }

  /** Waits until this node sees {@code n} members Up; false on timeout. */
  public boolean awaitUp(int n, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!upMembers(n)) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(50);
    }
    return true;
  }

  /**
   * Waits until Cluster Sharding's coordinator knows {@code n} worker shard regions; false on
   * timeout. A member is Up before its region has registered with the coordinator, and shards are
   * allocated only to registered regions: envs reset right after {@link #awaitUp} may all land on
   * the nodes that registered first.
   */
  public boolean awaitWorkers(int n, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (workerRegions() >= n) {
        return true;
      }
      Thread.sleep(100);
    }
    return false;
  }

  /**
   * The worker shard regions the coordinator knows, asked through this node's region or proxy
   * (ShardRegion.GetCurrentRegions; the coordinator lists regions only, never proxies). Sharding's
   * typed GetClusterShardingStats answers an empty map on a node with no region of its own (a
   * learner), so it cannot be used here.
   */
  private int workerRegions() {
    try {
      Object answer =
          Patterns.ask(
                  org.apache.pekko.cluster.sharding.ClusterSharding.get(Adapter.toClassic(system))
                      .shardRegion(EnvEntity.KEY.name()),
                  ShardRegion.getCurrentRegionsInstance(),
                  Duration.ofSeconds(3))
              .toCompletableFuture()
              .get();
      return ((ShardRegion.CurrentRegions) answer).getRegions().size();
    } catch (java.util.concurrent.ExecutionException e) {
      return 0; // the coordinator is not reachable yet: no region counts
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 0;
    }
  }

  /** Leaves the cluster gracefully (its envs are handed over) and stops the actor system. */
  @Override
  public void close() {
    Cluster.get(system).manager().tell(Leave.create(address()));
    system.terminate();
    try {
      system
          .getWhenTerminated()
          .toCompletableFuture()
          .get(30, java.util.concurrent.TimeUnit.SECONDS);
    } catch (Exception e) {
      // a node that cannot stop in time is left to the JVM's exit
    }
  }

  /**
   * Env i lives in shard {@code i mod numberOfShards}, so consecutive envs spread over the nodes.
   */
  static final class EnvShards
      extends ShardingMessageExtractor<ShardingEnvelope<EnvEntity.Command>, EnvEntity.Command> {
    private final int shards;

    EnvShards(int shards) {
      this.shards = shards;
    }

    @Override
    public String entityId(ShardingEnvelope<EnvEntity.Command> envelope) {
      return envelope.entityId();
    }

    @Override
    public String shardId(String entityId) {
      return Integer.toString(Integer.parseInt(entityId) % shards);
    }

    @Override
    public EnvEntity.Command unwrapMessage(ShardingEnvelope<EnvEntity.Command> envelope) {
      return envelope.message();
    }
  }
}
