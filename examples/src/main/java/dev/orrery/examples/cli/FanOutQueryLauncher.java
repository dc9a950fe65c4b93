package dev.orrery.examples.cli;

import dev.orrery.promql.engine.Engine;
import dev.orrery.promql.http.ApiServer;
import dev.orrery.promql.http.EngineQueryEvaluator;
import dev.orrery.promql.http.PrometheusApiHandler;
import dev.orrery.storeapi.StoreServices;
import dev.orrery.storeapi.proxy.EndpointSet;
import dev.orrery.storeapi.proxy.ProxyQueryable;
import dev.orrery.storeapi.proxy.ProxyStore;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * Wires the fan-out querier behind {@code orrery query --endpoint ...}: the endpoint set (static addresses and a file,
 * refreshed periodically), the StoreAPI proxy as the PromQL engine's {@code Queryable}, the Prometheus HTTP API, and
 * optionally the querier's own StoreAPI gRPC server (for stacking). Owns its thread pools; {@link #close()} stops
 * everything.
 */
final class FanOutQueryLauncher implements AutoCloseable {
  private final EndpointSet endpoints;
  private final ApiServer http;
  private final Server grpc;
  private final ExecutorService exec;
  private final ScheduledExecutorService scheduler;

  private FanOutQueryLauncher(EndpointSet endpoints, ApiServer http, Server grpc, ExecutorService exec,
      ScheduledExecutorService scheduler) {
    this.endpoints = endpoints;
    this.http = http;
    this.grpc = grpc;
    this.exec = exec;
    this.scheduler = scheduler;
  }

  /** What the querier needs beyond the HTTP settings. */
  record FanOutSettings(List<String> endpoints, Path endpointFile, List<String> replicaLabels, boolean dedup,
      boolean partialResponse, Duration storeTimeout, Duration refreshInterval, boolean serveGrpc) {}

  /**
   * Starts the querier.
   *
   * @param channels opens a gRPC channel to an endpoint (plaintext or TLS)
   * @param grpcOptions the gRPC server flags, used when {@code fanOut.serveGrpc()}
   */
  static FanOutQueryLauncher start(QueryApiLauncher.Settings settings, FanOutSettings fanOut,
      GrpcOptions grpcOptions) throws Exception {
    ExecutorService exec = Executors.newVirtualThreadPerTaskExecutor();
    ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform()
        .name("orrery-endpoints").daemon().unstarted(r));
    EndpointSet endpoints = null;
    Server grpc = null;
    try {
      Function<String, ManagedChannel> channels = grpcOptions.channels(exec);
      endpoints = new EndpointSet(fanOut.endpoints(), fanOut.endpointFile(), channels, Duration.ofSeconds(10));
      endpoints.refresh();
      endpoints.schedule(scheduler, fanOut.refreshInterval());
      ProxyQueryable queryable = new ProxyQueryable(endpoints, fanOut.storeTimeout(), fanOut.replicaLabels(),
          fanOut.dedup(), fanOut.partialResponse());
      Engine engine = Engine.builder()
          .lookbackDelta(settings.lookbackDelta())
          .timeout(settings.timeout())
          .maxSamples(settings.maxSamples())
          .build();
      PrometheusApiHandler handler = PrometheusApiHandler.builder()
          .queryable(queryable)
          .evaluator(new EngineQueryEvaluator(engine, queryable, settings.timeout()))
          .build();
      if (fanOut.serveGrpc()) {
        grpc = grpcOptions.startServer(StoreServices.of(new ProxyStore(endpoints, fanOut.storeTimeout()), exec),
            exec);
      }
      QueuedThreadPool pool = new QueuedThreadPool(64, 4);
      pool.setName("orrery-http");
      ApiServer http = ApiServer.builder().address(settings.address()).handler(handler).threadPool(pool).start();
      return new FanOutQueryLauncher(endpoints, http, grpc, exec, scheduler);
    } catch (Exception e) {
      if (grpc != null) {
        grpc.shutdownNow();
      }
      if (endpoints != null) {
        endpoints.close();
      }
      scheduler.shutdownNow();
      exec.shutdownNow();
      throw e;
    }
  }

  /** The HTTP API's base URL. */
  String url() {
    return http.uri().toString();
  }

  /** The gRPC port, or -1 when the querier serves no StoreAPI. */
  int grpcPort() {
    return grpc == null ? -1 : grpc.getPort();
  }

  /** The endpoint set. */
  EndpointSet endpoints() {
    return endpoints;
  }

  void awaitStop() throws InterruptedException {
    http.join();
  }

  @Override
  public void close() throws Exception {
    try {
      http.close();
    } finally {
      if (grpc != null) {
        grpc.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
      endpoints.close();
      scheduler.shutdownNow();
      exec.shutdownNow();
    }
  }
}
