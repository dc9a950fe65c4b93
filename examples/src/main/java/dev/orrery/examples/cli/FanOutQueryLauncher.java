package dev.orrery.examples.cli;

import dev.orrery.core.storage.StoreOptions;
import dev.orrery.promql.engine.Engine;
import dev.orrery.promql.http.ApiServer;
import dev.orrery.promql.http.EngineQueryEvaluator;
import dev.orrery.promql.http.PrometheusApiHandler;
import dev.orrery.storeapi.proxy.EndpointSet;
import dev.orrery.storeapi.proxy.ProxyStore;
import io.grpc.Server;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * Wires the fan-out querier behind {@code orrery query --endpoint ...}: the endpoint set (static addresses and a file,
 * refreshed periodically), the StoreAPI proxy as the PromQL engine's {@code Queryable}, the Prometheus HTTP API, and
 * optionally the querier's own StoreAPI gRPC server (for stacking). Owns its thread pools; {@link #close()} stops
 * everything.
 */
final class FanOutQueryLauncher implements AutoCloseable {
  private final StoreFanOut stores;
  private final ApiServer http;
  private final Server grpc;

  private FanOutQueryLauncher(StoreFanOut stores, ApiServer http, Server grpc) {
    this.stores = stores;
    this.http = http;
    this.grpc = grpc;
  }

  /**
   * What the querier needs beyond the HTTP settings.
   *
   * @param autoDownsampling whether range queries without {@code max_source_resolution} read data downsampled to up
   *     to a fifth of their step, as Thanos' {@code --query.auto-downsampling}
   */
  record FanOutSettings(List<String> endpoints, Path endpointFile, List<String> replicaLabels, boolean dedup,
      boolean partialResponse, Duration storeTimeout, Duration refreshInterval, boolean serveGrpc,
      boolean autoDownsampling) {
    /** Settings without auto-downsampling. */
    FanOutSettings(List<String> endpoints, Path endpointFile, List<String> replicaLabels, boolean dedup,
        boolean partialResponse, Duration storeTimeout, Duration refreshInterval, boolean serveGrpc) {
      this(endpoints, endpointFile, replicaLabels, dedup, partialResponse, storeTimeout, refreshInterval, serveGrpc,
          false);
    }
  }

  /**
   * Starts the querier.
   *
   * @param grpcOptions the gRPC client flags for the endpoints, and the server flags when {@code fanOut.serveGrpc()}
   */
  static FanOutQueryLauncher start(QueryApiLauncher.Settings settings, FanOutSettings fanOut,
      GrpcOptions grpcOptions) throws Exception {
    SelfMetrics metrics = new SelfMetrics();
    StoreFanOut stores = StoreFanOut.open(fanOut, grpcOptions, metrics);
    Server grpc = null;
    try {
      Engine engine = Engine.builder()
          .lookbackDelta(settings.lookbackDelta())
          .timeout(settings.timeout())
          .maxSamples(settings.maxSamples())
          .metrics(metrics.registry)
          .build();
      ProxyStore proxy = new ProxyStore(stores.endpoints, fanOut.storeTimeout());
      PrometheusApiHandler handler = PrometheusApiHandler.builder()
          .queryable(stores.queryable)
          .evaluator(new EngineQueryEvaluator(engine, stores.queryable, settings.timeout()))
          .metadata((metric, limit, options) -> proxy.metricMetadata(metric, limit, withQuerierDefaults(options,
              fanOut)))
          .rules((filter, options) -> proxy.ruleGroups(filter, withQuerierDefaults(options, fanOut)))
          .exemplars((query, options) -> proxy.exemplars(query, withQuerierDefaults(options, fanOut)))
          .targets((state, options) -> proxy.targets(state, withQuerierDefaults(options, fanOut)))
          .stores(stores.endpoints)
          .autoDownsampling(fanOut.autoDownsampling())
          .build();
      if (fanOut.serveGrpc()) {
        grpc = grpcOptions.startServer(proxy, stores.exec, metrics);
      }
      QueuedThreadPool pool = new QueuedThreadPool(64, 4);
      pool.setName("orrery-http");
      ApiServer http = settings.web().start(settings.address(), metrics.serving(handler), pool);
      return new FanOutQueryLauncher(stores, http, grpc);
    } catch (Exception e) {
      if (grpc != null) {
        grpc.shutdownNow();
      }
      stores.close();
      throw e;
    }
  }

  /**
   * A request's options with the querier's defaults, for its metadata, rules and exemplars: partial response only if
   * both the querier and the request allow it (as for queries), and the replica labels by which replicas' rules and
   * series are shown once (the request's, else the querier's) unless deduplication is off.
   */
  private static StoreOptions withQuerierDefaults(StoreOptions options, FanOutSettings fanOut) {
    boolean dedup = options.dedup() != null ? options.dedup() : fanOut.dedup();
    List<String> replicaLabels = !dedup ? List.of()
        : options.replicaLabels() != null ? options.replicaLabels() : fanOut.replicaLabels();
    return new StoreOptions(null, replicaLabels,
        fanOut.partialResponse() && !Boolean.FALSE.equals(options.partialResponse()), null);
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
    return stores.endpoints;
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
      stores.close();
    }
  }
}
