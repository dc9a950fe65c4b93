package dev.orrery.promql.http;

import static dev.orrery.core.testing.MetricsText.value;
import static org.assertj.core.api.Assertions.assertThat;

import dev.orrery.core.block.BlockSet;
import dev.orrery.core.block.PartitionedBlockWriter;
import dev.orrery.core.labels.Labels;
import dev.orrery.promql.engine.Engine;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.zip.GZIPInputStream;
import org.eclipse.jetty.server.Handler;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /metrics} and the HTTP metrics, through a real Jetty server on loopback: the API handler behind an {@link
 * OpsHandler}, both wrapped in an {@link InstrumentedHandler}, as the launchers serve them.
 */
class HttpMetricsTest {
  private static final long T0 = 1_704_067_200_000L;

  @TempDir
  static Path dir;

  private static BlockSet blocks;
  private static ApiServer server;
  private static final HttpClient CLIENT = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    PartitionedBlockWriter w = PartitionedBlockWriter.builder(dir).build();
    for (int i = 0; i <= 20; i++) {
      w.append(Labels.of("__name__", "up", "job", "api"), T0 + i * 15_000L, 1);
    }
    w.commit();
    blocks = BlockSet.open(dir);
    PrometheusApiHandler api = PrometheusApiHandler.builder().queryable(blocks)
        .evaluator(new EngineQueryEvaluator(Engine.builder().build(), blocks, Duration.ofMinutes(1))).build();
    PrometheusRegistry registry = new PrometheusRegistry();
    Handler handler = new InstrumentedHandler(new Handler.Sequence(new OpsHandler(registry), api),
        HttpServerMetrics.register(registry), path -> {
          String ops = OpsHandler.routeName(path);
          return ops != null ? ops : PrometheusApiHandler.routeName(path);
        });
    server = ApiServer.builder().address("127.0.0.1", 0).handler(handler).start();
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
    blocks.close();
  }

  @Test
  void requestsAreCountedByHandlerCodeAndMethod() throws Exception {
    double before = value(scrape(), "http_requests_total{code=\"200\",handler=\"query\",method=\"get\"}");
    double badBefore = value(scrape(), "http_requests_total{code=\"400\",handler=\"query\",method=\"get\"}");
    HttpResponse<String> ok = get("/api/v1/query?query=up&time=1704067500");
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(get("/api/v1/query?query=up%7B").statusCode()).isEqualTo(400);
    assertThat(get("/api/v1/label/job/values").statusCode()).isEqualTo(200);
    assertThat(get("/no/such/path").statusCode()).isEqualTo(404);

    String text = awaitScrape("http_requests_total{code=\"400\",handler=\"query\",method=\"get\"} " + (badBefore + 1));
    assertThat(value(text, "http_requests_total{code=\"200\",handler=\"query\",method=\"get\"}")).isEqualTo(before + 1);
    assertThat(value(text, "http_requests_total{code=\"200\",handler=\"label_values\",method=\"get\"}"))
        .isGreaterThanOrEqualTo(1);
    assertThat(text).doesNotContain("handler=\"other\"").doesNotContain("/no/such/path");
    assertThat(value(text, "http_request_duration_seconds_count{code=\"200\",handler=\"query\",method=\"get\"}"))
        .isEqualTo(before + 1);
    assertThat(value(text, "http_request_duration_seconds_bucket{code=\"200\",handler=\"query\",method=\"get\","
        + "le=\"720.0\"}")).isEqualTo(before + 1);
    assertThat(value(text, "http_response_size_bytes_sum{code=\"400\",handler=\"query\",method=\"get\"}"))
        .isGreaterThan(0);
    assertThat(value(text, "http_request_size_bytes_count{code=\"200\",handler=\"query\",method=\"get\"}"))
        .isEqualTo(before + 1);
  }

  @Test
  void responseSizeIsTheBodyWritten() throws Exception {
    HttpResponse<String> r = get("/api/v1/query?query=count(up)&time=1704067400");
    String series = "{code=\"200\",handler=\"query\",method=\"get\"}";
    String text = awaitScrape("http_response_size_bytes_count" + series);
    // Every 200 query answer so far is counted; this one's bytes are part of the sum.
    assertThat(value(text, "http_response_size_bytes_sum" + series))
        .isGreaterThanOrEqualTo(r.body().getBytes(StandardCharsets.UTF_8).length);
  }

  @Test
  void metricsAreServedInTextFormatOpenMetricsAndGzip() throws Exception {
    HttpResponse<String> text = get("/metrics");
    assertThat(text.statusCode()).isEqualTo(200);
    assertThat(text.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/plain; version=0.0.4");
    assertThat(text.body()).contains("# TYPE http_requests_total counter");

    HttpResponse<String> open = CLIENT.send(HttpRequest.newBuilder(server.uri().resolve("/metrics"))
        .header("Accept", "application/openmetrics-text; version=1.0.0").build(), HttpResponse.BodyHandlers.ofString());
    assertThat(open.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/openmetrics-text");
    assertThat(open.body()).endsWith("# EOF\n");

    HttpResponse<byte[]> gz = CLIENT.send(HttpRequest.newBuilder(server.uri().resolve("/metrics"))
        .header("Accept-Encoding", "gzip").build(), HttpResponse.BodyHandlers.ofByteArray());
    assertThat(gz.headers().firstValue("Content-Encoding")).hasValue("gzip");
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz.body()))) {
      assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).contains("http_requests_total");
    }

    String scraped = awaitScrape("http_requests_total{code=\"200\",handler=\"metrics\",method=\"get\"}");
    assertThat(value(scraped, "http_requests_total{code=\"200\",handler=\"metrics\",method=\"get\"}"))
        .isGreaterThanOrEqualTo(3);
  }

  @Test
  void metricsAndHealthRefuseOtherMethods() throws Exception {
    HttpResponse<String> post = CLIENT.send(HttpRequest.newBuilder(server.uri().resolve("/metrics"))
        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(post.statusCode()).isEqualTo(405);
    assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");
    assertThat(get("/-/healthy").body()).isEqualTo("Orrery is Healthy.\n");
    assertThat(awaitScrape("http_requests_total{code=\"405\",handler=\"metrics\",method=\"post\"} 1.0"))
        .contains("handler=\"healthy\"");
  }

  @Test
  void methodsOutsideHttpsStandardSetShareOneLabelValue() {
    assertThat(InstrumentedHandler.methodLabel("GET")).isEqualTo("get");
    assertThat(InstrumentedHandler.methodLabel("PROPFIND")).isEqualTo("unknown");
    assertThat(InstrumentedHandler.methodLabel("get")).isEqualTo("unknown");
  }

  private static HttpResponse<String> get(String pathAndQuery) throws IOException, InterruptedException {
    return CLIENT.send(HttpRequest.newBuilder(server.uri().resolve(pathAndQuery)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String scrape() throws IOException, InterruptedException {
    return get("/metrics").body();
  }

  /**
   * A scrape that contains {@code expected}: a request is recorded when its response completes, which a client may
   * see a moment after it has read the body.
   */
  private static String awaitScrape(String expected) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + 5_000_000_000L;
    String text = scrape();
    while (!text.contains(expected) && System.nanoTime() < deadline) {
      Thread.sleep(20);
      text = scrape();
    }
    assertThat(text).contains(expected);
    return text;
  }


}
