package dev.orrery.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orrery.core.testing.Environment;
import dev.orrery.core.testing.MetricsText;
import dev.orrery.examples.demo.DemoDataSet;
import dev.orrery.objstore.Bucket;
import dev.orrery.objstore.filesystem.FilesystemBucket;
import dev.orrery.promql.http.ApiServer;
import dev.orrery.storeapi.gateway.BucketStore;
import dev.orrery.storeapi.proto.info.InfoGrpc;
import dev.orrery.storeapi.proto.info.InfoRequest;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the commands serve at {@code /metrics}, as wired by {@link SelfMetrics}: checked by the real {@code promtool
 * check metrics} (Prometheus' linter for the text format) and by the values the requests made here must produce.
 */
class SelfMetricsTest {
  private static final long START = 1_704_067_200_000L;
  private static final HttpClient CLIENT = HttpClient.newHttpClient();

  @TempDir
  Path dir;

  @Test
  void theQuerierServesJvmBuildHttpAndRuleMetricsThatPromtoolAccepts() throws Exception {
    new DemoDataSet(START, 3).writeTo(dir);
    var settings = new QueryApiLauncher.Settings("127.0.0.1:0", Duration.ofMinutes(5), Duration.ofMinutes(2),
        50_000_000);
    try (QueryApiLauncher launcher = QueryApiLauncher.start(dir, settings, DemoCommand.demoRules(),
        DemoDataSet.metadata())) {
      assertThat(get(launcher.url() + "api/v1/query?time=1704074400&query="
          + URLEncoder.encode("count(up)", StandardCharsets.UTF_8)).statusCode()).isEqualTo(200);
      String text = awaitScrape(launcher.url() + "metrics",
          "http_requests_total{code=\"200\",handler=\"query\",method=\"get\"} 1.0");
      assertThat(text).contains("# TYPE jvm_memory_used_bytes gauge", "# TYPE process_cpu_seconds_total counter",
          "# TYPE jvm_gc_collection_seconds summary", "orrery_build_info{", "# TYPE http_request_duration_seconds "
              + "histogram", "# TYPE prometheus_rule_group_duration_seconds summary");
      assertThat(MetricsText.value(text, "prometheus_engine_query_duration_seconds_count{slice=\"inner_eval\"}"))
          .isGreaterThanOrEqualTo(1);
      assertThat(MetricsText.value(text, "prometheus_engine_queries")).isZero();
      // The demo ruler evaluated its groups once at start: every rule counted, none failed.
      assertThat(text).containsPattern("prometheus_rule_evaluations_total\\{rule_group=\"[^\"]+;[^\"]+\"} [1-9]")
          .doesNotContainPattern("prometheus_rule_evaluation_failures_total\\{[^}]*} [1-9]");
      assertPromtoolAccepts(text);
    }
  }

  @Test
  void aStoreGatewayCountsItsGrpcCallsAndBucketOperations() throws Exception {
    Path bucketDir = dir.resolve("bucket");
    new DemoDataSet(START, 3).writeTo(bucketDir);
    SelfMetrics metrics = new SelfMetrics();
    GrpcOptions grpc = new GrpcOptions();
    grpc.grpcAddress = "127.0.0.1:0";
    try (ExecutorService exec = Executors.newVirtualThreadPerTaskExecutor();
        Bucket bucket = metrics.instrument(FilesystemBucket.open(bucketDir));
        BucketStore store = BucketStore.builder(bucket, dir.resolve("data")).executor(exec)
            .metrics(metrics.registry).build();
        ApiServer ops = metrics.startOpsServer("127.0.0.1:0", WebConfig.NONE)) {
      assertThat(store.sync().added()).hasSize(12);
      Server server = grpc.startServer(store, exec, metrics);
      ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", server.getPort()).usePlaintext().build();
      try {
        InfoGrpc.newBlockingStub(channel).info(InfoRequest.getDefaultInstance());
        assertQuerierCountsItsCallsTo(server.getPort());
      } finally {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
      // The Info call made here, the querier's, and the querier's Series calls, all answered OK.
      String text = awaitScrape(ops.uri() + "metrics", "grpc_server_handled_total{grpc_code=\"OK\","
          + "grpc_method=\"Series\",grpc_service=\"thanos.Store\",grpc_type=\"server_stream\"}");
      assertThat(MetricsText.value(text, "grpc_server_handled_total{grpc_code=\"OK\",grpc_method=\"Info\","
          + "grpc_service=\"thanos.info.Info\",grpc_type=\"unary\"}")).isGreaterThanOrEqualTo(2);
      assertThat(MetricsText.value(text, "thanos_objstore_bucket_operations_total{bucket=\"" + bucket.name()
          + "\",operation=\"iter\"}")).isGreaterThanOrEqualTo(1);
      // Every block's meta.json and index were read through the instrumented bucket.
      assertThat(MetricsText.value(text, "thanos_objstore_bucket_operations_total{bucket=\"" + bucket.name()
          + "\",operation=\"get\"}")).isGreaterThanOrEqualTo(12);
      assertThat(MetricsText.value(text, "thanos_bucket_store_blocks_loaded")).isEqualTo(12);
      assertThat(MetricsText.value(text, "thanos_blocks_meta_synced{state=\"loaded\"}")).isEqualTo(12);
      assertThat(get(ops.uri() + "-/ready").body()).isEqualTo("Orrery is Ready.\n");
      assertThat(get(ops.uri() + "api/v1/query").statusCode()).isEqualTo(404);
      assertPromtoolAccepts(text);
    }
  }

  /** A querier over the gateway counts its calls per method and code, and the gateway as a healthy store node. */
  private static void assertQuerierCountsItsCallsTo(int gatewayPort) throws Exception {
    var settings = new QueryApiLauncher.Settings("127.0.0.1:0", Duration.ofMinutes(5), Duration.ofMinutes(2),
        50_000_000);
    var fanOut = new FanOutQueryLauncher.FanOutSettings(java.util.List.of("127.0.0.1:" + gatewayPort), null,
        java.util.List.of("prometheus_replica"), true, true, Duration.ofMinutes(1), Duration.ofMinutes(5), false);
    try (FanOutQueryLauncher querier = FanOutQueryLauncher.start(settings, fanOut, new GrpcOptions())) {
      assertThat(get(querier.url() + "api/v1/query?time=1704074400&query="
          + URLEncoder.encode("count(up)", StandardCharsets.UTF_8)).body()).contains("\"value\":[1704074400,\"");
      String text = awaitScrape(querier.url() + "metrics", "grpc_client_handled_total{grpc_code=\"OK\","
          + "grpc_method=\"Series\",grpc_service=\"thanos.Store\",grpc_type=\"server_stream\"}");
      assertThat(MetricsText.value(text, "grpc_client_started_total{grpc_method=\"Info\","
          + "grpc_service=\"thanos.info.Info\",grpc_type=\"unary\"}")).isGreaterThanOrEqualTo(1);
      assertThat(text).containsPattern("thanos_store_nodes_grpc_connections\\{external_labels=\"[^\"]*cluster[^\n]*"
          + "store_type=\"store\"} 1.0");
      assertPromtoolAccepts(text);
      // Thanos' store list shows the gateway as a healthy store with its external label sets.
      assertThat(get(querier.url() + "api/v1/stores").body()).startsWith("{\"status\":\"success\",\"data\":{"
          + "\"store\":[{\"name\":\"127.0.0.1:" + gatewayPort + "\",\"lastCheck\":\"").contains(
          "\"lastError\":null,\"labelSets\":[{\"cluster\":");
    }
  }

  private static void assertPromtoolAccepts(String exposition) throws Exception {
    Process p = new ProcessBuilder(Environment.promtool().toString(), "check", "metrics").redirectErrorStream(true)
        .start();
    try (var in = p.getOutputStream()) {
      in.write(exposition.getBytes(StandardCharsets.UTF_8));
    }
    String report = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as("promtool check metrics: %s", report).isZero();
  }

  private static HttpResponse<String> get(String url) throws Exception {
    return CLIENT.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** A scrape that contains {@code expected} (a request is counted when its response completes). */
  private static String awaitScrape(String url, String expected) throws Exception {
    long deadline = System.nanoTime() + 5_000_000_000L;
    String text = get(url).body();
    while (!text.contains(expected) && System.nanoTime() < deadline) {
      Thread.sleep(20);
      text = get(url).body();
    }
    assertThat(text).contains(expected);
    return text;
  }

}
