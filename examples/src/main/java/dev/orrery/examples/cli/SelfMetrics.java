package dev.orrery.examples.cli;

import dev.orrery.objstore.Bucket;
import dev.orrery.objstore.BucketMetrics;
import dev.orrery.objstore.InstrumentedBucket;
import dev.orrery.objstore.ObjectNotFoundException;
import dev.orrery.promql.http.ApiServer;
import dev.orrery.promql.http.BuildInfo;
import dev.orrery.promql.http.HttpServerMetrics;
import dev.orrery.promql.http.InstrumentedHandler;
import dev.orrery.promql.http.OpsHandler;
import dev.orrery.promql.http.PrometheusApiHandler;
import dev.orrery.storeapi.GrpcClientMetrics;
import dev.orrery.storeapi.GrpcServerMetrics;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * One command's own metrics, served at {@code /metrics} on its HTTP address: the JVM's and the process' (memory, GC,
 * threads, CPU, open files), {@code orrery_build_info}, the HTTP and gRPC server families (named as Thanos names them),
 * the bucket operations, and what each component adds.
 */
final class SelfMetrics {
  final PrometheusRegistry registry = new PrometheusRegistry();
  private final HttpServerMetrics http;
  private final GrpcServerMetrics grpc;
  private BucketMetrics buckets;
  private GrpcClientMetrics grpcClient;

  SelfMetrics() {
    JvmMetrics.builder().register(registry);
    BuildInfo build = BuildInfo.fromManifest();
    Gauge.builder().name("orrery_build_info")
        .help("A metric with a constant '1' value labeled by version, revision, branch, and the Java version.")
        .labelNames("version", "revision", "branch", "javaversion").register(registry)
        .labelValues(build.version(), build.revision(), build.branch(), Runtime.version().toString()).set(1);
    http = HttpServerMetrics.register(registry);
    grpc = GrpcServerMetrics.register(registry);
  }

  /** The interceptor that counts the calls of a gRPC server. */
  GrpcServerMetrics grpcServer() {
    return grpc;
  }

  /** The interceptor that counts the calls of gRPC clients (registered at the first use). */
  synchronized GrpcClientMetrics grpcClient() {
    if (grpcClient == null) {
      grpcClient = GrpcClientMetrics.register(registry);
    }
    return grpcClient;
  }

  /**
   * {@code api} with {@code /metrics}, {@code /-/healthy} and {@code /-/ready} before it, every request of theirs
   * counted in the HTTP metrics.
   */
  Handler serving(PrometheusApiHandler api) {
    return new InstrumentedHandler(new Handler.Sequence(new OpsHandler(registry), api), http, path -> {
      String ops = OpsHandler.routeName(path);
      return ops != null ? ops : PrometheusApiHandler.routeName(path);
    });
  }

  /**
   * Starts a server with only {@code /metrics} and the health routes, for components without an HTTP API, with the
   * TLS and authentication of {@code web}.
   */
  ApiServer startOpsServer(String address, WebConfig web) throws Exception {
    // Room for Jetty's acceptors and selectors (up to 8 on a large machine) besides the few scrapes at a time.
    QueuedThreadPool pool = new QueuedThreadPool(32, 2);
    pool.setName("orrery-http");
    return web.start(address, new InstrumentedHandler(new OpsHandler(registry), http, OpsHandler::routeName), pool);
  }

  /**
   * {@code bucket} with its operations counted in Thanos' objstore metrics (label {@code bucket}: its name). A missing
   * object is not a failure: the components probe optional objects (markers, metas) and handle their absence.
   */
  synchronized Bucket instrument(Bucket bucket) {
    if (buckets == null) {
      buckets = BucketMetrics.register(registry);
    }
    return new InstrumentedBucket(bucket, buckets, bucket.name(), e -> e instanceof ObjectNotFoundException);
  }
}
