package dev.orrery.examples.cli;

import dev.orrery.storeapi.proxy.EndpointSet;
import dev.orrery.storeapi.proxy.ProxyQueryable;
import io.grpc.ManagedChannel;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;

/**
 * StoreAPI endpoints (static addresses and a file, refreshed on a schedule) and the proxy {@code Queryable} over
 * them, as the querier and the ruler read their stores. Owns its threads; {@link #close()} stops them.
 */
final class StoreFanOut implements AutoCloseable {
  final EndpointSet endpoints;
  final ProxyQueryable queryable;
  final ExecutorService exec;
  private final ScheduledExecutorService scheduler;

  private StoreFanOut(EndpointSet endpoints, ProxyQueryable queryable, ExecutorService exec,
      ScheduledExecutorService scheduler) {
    this.endpoints = endpoints;
    this.queryable = queryable;
    this.exec = exec;
    this.scheduler = scheduler;
  }

  /**
   * Connects to the endpoints (one refresh now, then every {@code refreshInterval}); the calls and the endpoints'
   * health are counted in {@code metrics}.
   */
  static StoreFanOut open(FanOutQueryLauncher.FanOutSettings fanOut, GrpcOptions grpcOptions, SelfMetrics metrics)
      throws Exception {
    ExecutorService exec = Executors.newVirtualThreadPerTaskExecutor();
    ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform()
        .name("orrery-endpoints").daemon().unstarted(r));
    EndpointSet endpoints = null;
    try {
      Function<String, ManagedChannel> channels = grpcOptions.channels(exec, metrics);
      endpoints = new EndpointSet(fanOut.endpoints(), fanOut.endpointFile(), channels,
          Duration.ofSeconds(10));
      endpoints.registerMetrics(metrics.registry);
      endpoints.refresh();
      endpoints.schedule(scheduler, fanOut.refreshInterval());
      ProxyQueryable queryable = new ProxyQueryable(endpoints, fanOut.storeTimeout(), fanOut.replicaLabels(),
          fanOut.dedup(), fanOut.partialResponse());
      return new StoreFanOut(endpoints, queryable, exec, scheduler);
    } catch (Exception e) {
      if (endpoints != null) {
        endpoints.close();
      }
      scheduler.shutdownNow();
      exec.shutdownNow();
      throw e;
    }
  }

  @Override
  public void close() {
    endpoints.close();
    scheduler.shutdownNow();
    exec.shutdownNow();
  }
}
