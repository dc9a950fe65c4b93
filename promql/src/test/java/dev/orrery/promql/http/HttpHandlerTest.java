package dev.orrery.promql.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orrery.core.OrreryException;
import dev.orrery.core.block.BlockSet;
import dev.orrery.core.block.PartitionedBlockWriter;
import dev.orrery.core.labels.Labels;
import dev.orrery.core.rules.AlertStatus;
import dev.orrery.core.rules.AlertingRuleStatus;
import dev.orrery.core.rules.RecordingRuleStatus;
import dev.orrery.core.rules.RuleGroupStatus;
import dev.orrery.core.rules.RuleGroups;
import dev.orrery.core.rules.RuleGroupsSource;
import dev.orrery.core.storage.Exemplar;
import dev.orrery.core.storage.ExemplarQuery;
import dev.orrery.core.storage.ExemplarSeries;
import dev.orrery.core.storage.ExemplarSet;
import dev.orrery.core.storage.ExemplarSource;
import dev.orrery.core.storage.MetricMetadata;
import dev.orrery.core.storage.MetricMetadataSet;
import dev.orrery.core.storage.MetricMetadataSource;
import dev.orrery.core.storage.StoreStatus;
import dev.orrery.core.storage.StoreStatusSource;
import dev.orrery.core.targets.ActiveTarget;
import dev.orrery.core.targets.DroppedTarget;
import dev.orrery.core.targets.TargetDiscovery;
import dev.orrery.core.targets.TargetsSource;
import dev.orrery.promql.engine.Annotations;
import dev.orrery.promql.engine.Engine;
import dev.orrery.promql.engine.QueryException;
import dev.orrery.promql.engine.QueryResult;
import dev.orrery.promql.engine.Sample;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The handler end to end: a real Jetty server on a loopback port, the real engine over blocks written into a
 * temporary directory (with a Thanos external label), and the JDK's HTTP client.
 */
class HttpHandlerTest {
  private static final long T0 = 1_704_067_200_000L;

  @TempDir
  static Path dir;

  private static BlockSet blocks;
  private static ApiServer server;
  private static final HttpClient CLIENT = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    PartitionedBlockWriter w = PartitionedBlockWriter.builder(dir).externalLabels(Map.of("cluster", "eu"))
        .source("test").build();
    for (int i = 0; i <= 40; i++) {
      long t = T0 + i * 15_000L;
      w.append(Labels.of("__name__", "up", "job", "api", "instance", "a"), t, 1);
      w.append(Labels.of("__name__", "up", "job", "api", "instance", "b"), t, 0);
      w.append(Labels.of("__name__", "http_requests_total", "job", "api", "instance", "a", "code", "200"), t, 10 * i);
    }
    w.commit();
    blocks = BlockSet.open(dir);
    BlockSet withExternal = blocks.withExternalLabels();
    Engine engine = Engine.builder().build();
    PrometheusApiHandler handler = PrometheusApiHandler.builder()
        .queryable(withExternal)
        .evaluator(new EngineQueryEvaluator(engine, withExternal, Duration.ofMinutes(2)))
        .buildInfo(new BuildInfo("1.2.3", "abc", "main", "ci", "20240101", "java21"))
        .clock(Clock.fixed(Instant.ofEpochMilli(T0 + 300_000), ZoneOffset.UTC))
        .build();
    server = ApiServer.builder().address("127.0.0.1", 0).handler(handler).start();
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
    blocks.close();
  }

  private static final String UP_A = "{\"__name__\":\"up\",\"cluster\":\"eu\",\"instance\":\"a\",\"job\":\"api\"}";
  private static final String UP_B = "{\"__name__\":\"up\",\"cluster\":\"eu\",\"instance\":\"b\",\"job\":\"api\"}";

  @Test
  void instantQueryAnswersAsPrometheus() throws Exception {
    Reply r = get("/api/v1/query?query=up&time=1704067500");
    assertThat(r.status).isEqualTo(200);
    assertThat(r.contentType).isEqualTo("application/json");
    assertThat(r.body).isEqualTo("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":["
        + "{\"metric\":" + UP_A + ",\"value\":[1704067500,\"1\"]},"
        + "{\"metric\":" + UP_B + ",\"value\":[1704067500,\"0\"]}]}}");
  }

  @Test
  void instantQueryDefaultsToNowAndAcceptsRfc3339() throws Exception {
    assertThat(get("/api/v1/query?query=up%7Binstance%3D%22a%22%7D").body).contains("\"value\":[1704067500,\"1\"]");
    assertThat(get("/api/v1/query?query=up%7Binstance%3D%22a%22%7D&time=2024-01-01T00:05:00.5Z").body)
        .contains("\"value\":[1704067500.500,\"1\"]");
  }

  @Test
  void postFormValuesComeBeforeTheQueryString() throws Exception {
    Reply r = post("/api/v1/query?query=up", "query=" + enc("up{instance=\"a\"}") + "&time=1704067500");
    assertThat(r.body).isEqualTo("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":["
        + "{\"metric\":" + UP_A + ",\"value\":[1704067500,\"1\"]}]}}");
  }

  @Test
  void rangeQueryAnswersAMatrix() throws Exception {
    Reply r = get("/api/v1/query_range?query=" + enc("up{instance=\"a\"}") + "&start=1704067200&end=1704067320"
        + "&step=1m");
    assertThat(r.body).isEqualTo("{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":["
        + "{\"metric\":" + UP_A + ",\"values\":[[1704067200,\"1\"],[1704067260,\"1\"],[1704067320,\"1\"]]}]}}");
    Reply rate = post("/api/v1/query_range", "query=" + enc("rate(http_requests_total[1m])")
        + "&start=1704067260&end=1704067290&step=30");
    assertThat(rate.body).contains("\"values\":[[1704067260,\"0.6666666666666666\"],[1704067290,\"0.6666666666666666\"]]");
  }

  @Test
  void limitTruncatesWithAWarning() throws Exception {
    Reply r = get("/api/v1/query?query=up&time=1704067500&limit=1");
    assertThat(r.body).isEqualTo("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":["
        + "{\"metric\":" + UP_A + ",\"value\":[1704067500,\"1\"]}]},\"warnings\":[\"results truncated due to limit\"]}");
  }

  @Test
  void badParametersAreBadDataWithPrometheusMessages() throws Exception {
    assertError(get("/api/v1/query?query=up&time=abc"), 400, "bad_data",
        "invalid parameter \\\"time\\\": Invalid time value for 'time': cannot parse \\\"abc\\\" to a valid timestamp");
    assertError(get("/api/v1/query?query=up&timeout=soon"), 400, "bad_data",
        "invalid parameter \\\"timeout\\\": cannot parse \\\"soon\\\" to a valid duration");
    assertError(get("/api/v1/query_range?query=up&end=10&step=1"), 400, "bad_data",
        "invalid parameter \\\"start\\\": cannot parse \\\"\\\" to a valid timestamp");
    assertError(get("/api/v1/query_range?query=up&start=10&end=5&step=1"), 400, "bad_data",
        "invalid parameter \\\"end\\\": end timestamp must not be before start time");
    assertError(get("/api/v1/query_range?query=up&start=0&end=5&step=0"), 400, "bad_data",
        "invalid parameter \\\"step\\\": zero or negative query resolution step widths are not accepted. "
            + "Try a positive integer");
    assertError(get("/api/v1/query_range?query=up&start=0&end=5&step=x"), 400, "bad_data",
        "invalid parameter \\\"step\\\": cannot parse \\\"x\\\" to a valid duration");
    assertError(get("/api/v1/query_range?query=up&start=0&end=11001&step=1"), 400, "bad_data",
        "exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution "
            + "(?step=XX)");
    assertThat(get("/api/v1/query_range?query=up&start=0&end=11000&step=1").status).isEqualTo(200);
    assertError(get("/api/v1/query?query=up&limit=-1"), 400, "bad_data",
        "invalid parameter \\\"limit\\\": limit must be non-negative");
  }

  @Test
  void queryThatDoesNotParseIsBadData() throws Exception {
    Reply r = get("/api/v1/query?query=" + enc("sum(up"));
    assertThat(r.status).isEqualTo(400);
    assertThat(r.body).startsWith("{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"invalid parameter "
        + "\\\"query\\\": 1:");
    Reply range = get("/api/v1/query_range?query=" + enc("up[5m]") + "&start=0&end=60&step=15");
    assertError(range, 400, "bad_data", "invalid parameter \\\"query\\\": invalid expression type \\\"range vector\\\" "
        + "for range query, must be Scalar or instant Vector");
  }

  @Test
  void evaluationErrorsAreExecutionErrors() throws Exception {
    Reply r = get("/api/v1/query?time=1704067500&query=" + enc("label_replace(up, \"instance\", \"x\", \"\", \"\")"));
    assertError(r, 422, "execution", "vector cannot contain metrics with the same labelset");
  }

  @Test
  void engineErrorTypesKeepPrometheusStatusCodes() throws Exception {
    for (var c : List.of(
        new Object[] {QueryException.ErrorType.TIMEOUT, 503, "timeout"},
        new Object[] {QueryException.ErrorType.CANCELED, 499, "canceled"},
        new Object[] {QueryException.ErrorType.INTERNAL, 500, "internal"},
        new Object[] {QueryException.ErrorType.EXECUTION, 422, "execution"})) {
      QueryException.ErrorType type = (QueryException.ErrorType) c[0];
      QueryEvaluator failing = new FixedEvaluator(null, new QueryException(type, "query failed: " + c[2]));
      try (ApiServer s = serverWith(failing)) {
        assertError(get(s, "/api/v1/query?query=up"), (int) c[1], (String) c[2], "query failed: " + c[2]);
        assertError(get(s, "/api/v1/query_range?query=up&start=0&end=1&step=1"), (int) c[1], (String) c[2],
            "query failed: " + c[2]);
      }
    }
  }

  @Test
  void annotationsBecomeWarningsAndInfosWithPositions() throws Exception {
    Annotations a = Annotations.create();
    a.warn("something odd", 4);
    a.info("metric might not be a counter", 0);
    QueryResult result = new QueryResult.Vector(
        List.of(new Sample(Labels.of("x", "1"), 1000, 2, null)), a.snapshot());
    try (ApiServer s = serverWith(new FixedEvaluator(result, null))) {
      assertThat(get(s, "/api/v1/query?query=" + enc("sum(foo)")).body).isEqualTo("{\"status\":\"success\","
          + "\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":{\"x\":\"1\"},\"value\":[1,\"2\"]}]},"
          + "\"warnings\":[\"PromQL warning: something odd (1:5)\"],"
          + "\"infos\":[\"PromQL info: metric might not be a counter (1:1)\"]}");
    }
  }

  @Test
  void thanosStoreParametersReachTheEvaluator() throws Exception {
    FixedEvaluator recording = new FixedEvaluator(new QueryResult.Scalar(0, 1, Annotations.empty()), null);
    try (ApiServer s = serverWith(recording)) {
      get(s, "/api/v1/query?query=1&dedup=false&replicaLabels[]=replica&replicaLabels[]=rule_replica"
          + "&partial_response=true&max_source_resolution=5m");
      assertThat(recording.lastOptions.store()).isEqualTo(new dev.orrery.core.storage.StoreOptions(false,
          List.of("replica", "rule_replica"), true, 300_000L));
      // auto is Thanos' step / 5 for range queries, raw data for instant ones.
      get(s, "/api/v1/query_range?query=1&start=0&end=3600&step=1h&max_source_resolution=auto");
      assertThat(recording.lastOptions.store().maxSourceResolutionMillis()).isEqualTo(720_000L);
      get(s, "/api/v1/query?query=1&max_source_resolution=auto");
      assertThat(recording.lastOptions.store().isEmpty()).isTrue();
      assertThat(get(s, "/api/v1/query_range?query=1&start=0&end=3600&step=1h").status).isEqualTo(200);
      assertThat(recording.lastOptions.store().isEmpty()).as("raw unless auto-downsampling is on").isTrue();
      assertError(get(s, "/api/v1/query?query=1&max_source_resolution=-300"), 400, "bad_data",
          "negative 'max_source_resolution' is not accepted. Try a positive integer");
      assertError(get(s, "/api/v1/query?query=1&dedup=maybe"), 400, "bad_data",
          "invalid parameter \\\"dedup\\\": cannot parse \\\"maybe\\\" as a boolean");
    }
  }

  @Test
  void autoDownsamplingMakesAutoTheDefaultForRangeQueries() throws Exception {
    FixedEvaluator recording = new FixedEvaluator(new QueryResult.Scalar(0, 1, Annotations.empty()), null);
    try (ApiServer s = ApiServer.builder().address("127.0.0.1:0").handler(PrometheusApiHandler.builder()
        .queryable(blocks).evaluator(recording).autoDownsampling(true).build()).start()) {
      get(s, "/api/v1/query_range?query=1&start=0&end=36000&step=5m");
      assertThat(recording.lastOptions.store().maxSourceResolutionMillis()).isEqualTo(60_000L);
      get(s, "/api/v1/query_range?query=1&start=0&end=36000&step=5m&max_source_resolution=0s");
      assertThat(recording.lastOptions.store().maxSourceResolutionMillis()).isZero();
      get(s, "/api/v1/query?query=1");
      assertThat(recording.lastOptions.store().isEmpty()).isTrue();
    }
  }

  @Test
  void requestTimeoutAndLookbackDeltaReachTheEvaluator() throws Exception {
    FixedEvaluator recording = new FixedEvaluator(new QueryResult.Scalar(0, 1, Annotations.empty()), null);
    try (ApiServer s = serverWith(recording)) {
      get(s, "/api/v1/query?query=1&timeout=1.5&lookback_delta=1m");
      assertThat(recording.lastOptions).isEqualTo(new QueryOptions(Duration.ofMillis(1500), Duration.ofMinutes(1)));
      get(s, "/api/v1/query?query=1");
      assertThat(recording.lastOptions).isEqualTo(QueryOptions.DEFAULT);
      assertError(get(s, "/api/v1/query?query=1&lookback_delta=x"), 400, "bad_data",
          "error parsing lookback delta duration: cannot parse \\\"x\\\" to a valid duration");
    }
  }

  @Test
  void seriesListsLabelSets() throws Exception {
    assertThat(get("/api/v1/series?match[]=up").body)
        .isEqualTo("{\"status\":\"success\",\"data\":[" + UP_A + "," + UP_B + "]}");
    // Two selectors: merged and deduplicated, in label order.
    assertThat(post("/api/v1/series", "match[]=" + enc("up{instance=\"b\"}") + "&match[]=" + enc("{job=\"api\"}")
        + "&start=1704067200&end=1704067800").body).isEqualTo("{\"status\":\"success\",\"data\":["
            + "{\"__name__\":\"http_requests_total\",\"cluster\":\"eu\",\"code\":\"200\",\"instance\":\"a\","
            + "\"job\":\"api\"}," + UP_A + "," + UP_B + "]}");
    assertThat(get("/api/v1/series?match[]=up&limit=1").body)
        .isEqualTo("{\"status\":\"success\",\"data\":[" + UP_A + "],\"warnings\":[\"results truncated due to limit\"]}");
    assertThat(get("/api/v1/series?match[]=up&start=1800000000").body)
        .isEqualTo("{\"status\":\"success\",\"data\":[]}");
    assertError(get("/api/v1/series"), 400, "bad_data", "no match[] parameter provided");
    assertError(get("/api/v1/series?match[]=" + enc("{job=~\".*\"}")), 400, "bad_data",
        "invalid parameter \\\"match[]\\\": match[] must contain at least one non-empty matcher");
  }

  @Test
  void labelNamesAndValues() throws Exception {
    assertThat(get("/api/v1/labels").body).isEqualTo(
        "{\"status\":\"success\",\"data\":[\"__name__\",\"cluster\",\"code\",\"instance\",\"job\"]}");
    assertThat(post("/api/v1/labels", "match[]=up").body).isEqualTo(
        "{\"status\":\"success\",\"data\":[\"__name__\",\"cluster\",\"instance\",\"job\"]}");
    assertThat(get("/api/v1/labels?limit=2").body).isEqualTo(
        "{\"status\":\"success\",\"data\":[\"__name__\",\"cluster\"],\"warnings\":[\"results truncated due to limit\"]}");
    assertThat(get("/api/v1/label/__name__/values").body).isEqualTo(
        "{\"status\":\"success\",\"data\":[\"http_requests_total\",\"up\"]}");
    assertThat(get("/api/v1/label/instance/values?match[]=" + enc("http_requests_total")).body).isEqualTo(
        "{\"status\":\"success\",\"data\":[\"a\"]}");
    assertThat(get("/api/v1/label/%63luster/values").body).isEqualTo("{\"status\":\"success\",\"data\":[\"eu\"]}");
    assertThat(get("/api/v1/label/no_such_label/values").body).isEqualTo("{\"status\":\"success\",\"data\":[]}");
    assertThat(get("/api/v1/label/U__clu_73_ter/values").body).isEqualTo("{\"status\":\"success\",\"data\":[\"eu\"]}");
    assertError(get("/api/v1/labels?match[]=" + enc("{a=\"\"}")), 400, "bad_data",
        "match[] must contain at least one non-empty matcher");
  }

  @Test
  void unescapesValueEncodedLabelNames() {
    assertThat(PrometheusApiHandler.unescapeValueEncoding("U__my_2e_label")).isEqualTo("my.label");
    assertThat(PrometheusApiHandler.unescapeValueEncoding("U__a__b")).isEqualTo("a_b");
    assertThat(PrometheusApiHandler.unescapeValueEncoding("U___1f600_")).isEqualTo("😀");
    assertThat(PrometheusApiHandler.unescapeValueEncoding("U__a_zz_")).isEqualTo("U__a_zz_");
    assertThat(PrometheusApiHandler.unescapeValueEncoding("U__a_")).isEqualTo("U__a_");
    assertThat(PrometheusApiHandler.unescapeValueEncoding("U__a_1234567_")).isEqualTo("U__a_1234567_");
  }

  @Test
  void formatAndParseQuery() throws Exception {
    assertThat(get("/api/v1/format_query?query=" + enc("sum(rate(foo[5m]))by(job)")).body)
        .isEqualTo("{\"status\":\"success\",\"data\":\"sum by (job) (rate(foo[5m]))\"}");
    assertThat(post("/api/v1/parse_query", "query=" + enc("up{job=\"a\"} offset 5m")).body)
        .isEqualTo("{\"status\":\"success\",\"data\":{\"anchored\":false,\"matchers\":["
            + "{\"name\":\"job\",\"type\":\"=\",\"value\":\"a\"},{\"name\":\"__name__\",\"type\":\"=\",\"value\":\"up\"}],"
            + "\"name\":\"up\",\"offset\":300000,\"smoothed\":false,\"startOrEnd\":null,\"timestamp\":null,"
            + "\"type\":\"vectorSelector\"}}");
    Reply bad = get("/api/v1/format_query?query=" + enc("rate(up"));
    assertThat(bad.status).isEqualTo(400);
    assertThat(bad.body).contains("\"error\":\"invalid parameter \\\"query\\\": 1:");
  }

  @Test
  void buildInfoAndMetadata() throws Exception {
    assertThat(get("/api/v1/status/buildinfo").body).isEqualTo("{\"status\":\"success\",\"data\":{"
        + "\"version\":\"1.2.3\",\"revision\":\"abc\",\"branch\":\"main\",\"buildUser\":\"ci\","
        + "\"buildDate\":\"20240101\",\"goVersion\":\"java21\"}}");
    assertThat(get("/api/v1/metadata").body).isEqualTo("{\"status\":\"success\",\"data\":{}}");
  }

  @Test
  void metadataComesFromTheSourceWithPrometheusParameters() throws Exception {
    List<String> calls = new java.util.concurrent.CopyOnWriteArrayList<>();
    MetricMetadataSource source = (metric, limit, options) -> {
      calls.add(metric + "|" + limit + "|" + options.partialResponse());
      return MetricMetadataSet.builder(limit)
          .add("up", List.of(new MetricMetadata("gauge", "1 if the target is \"up\".", "")))
          .add("http_request_duration_seconds", List.of(new MetricMetadata("histogram", "Latency.", "seconds"),
              new MetricMetadata("histogram", "Request latency.", "seconds")))
          .warn("store b failed: UNAVAILABLE")
          .build();
    };
    try (ApiServer s = ApiServer.builder().address("127.0.0.1:0").handler(PrometheusApiHandler.builder()
        .queryable(blocks).evaluator(new FixedEvaluator(null, null)).metadata(source).build()).start()) {
      assertThat(get(s, "/api/v1/metadata").body).isEqualTo("{\"status\":\"success\",\"data\":{"
          + "\"http_request_duration_seconds\":[{\"type\":\"histogram\",\"help\":\"Latency.\",\"unit\":\"seconds\"},"
          + "{\"type\":\"histogram\",\"help\":\"Request latency.\",\"unit\":\"seconds\"}],"
          + "\"up\":[{\"type\":\"gauge\",\"help\":\"1 if the target is \\\"up\\\".\",\"unit\":\"\"}]},"
          + "\"warnings\":[\"store b failed: UNAVAILABLE\"]}");
      assertThat(calls).containsExactly("|-1|null");
      assertThat(get(s, "/api/v1/metadata?limit_per_metric=1").body)
          .contains("\"http_request_duration_seconds\":[{\"type\":\"histogram\",\"help\":\"Latency.\"")
          .doesNotContain("Request latency.").contains("\"up\"");
      assertThat(get(s, "/api/v1/metadata?limit=1&metric=up&partial_response=false").body)
          .contains("\"up\"").doesNotContain("http_request_duration_seconds");
      assertThat(calls).last().isEqualTo("up|1|false");
      assertError(get(s, "/api/v1/metadata?limit=some"), 400, "bad_data", "limit must be a number");
      assertError(get(s, "/api/v1/metadata?limit_per_metric=few"), 400, "bad_data",
          "limit_per_metric must be a number");
    }
    MetricMetadataSource failing = (metric, limit, options) -> {
      throw new OrreryException(OrreryException.ErrorCode.STORAGE, "store b failed: UNAVAILABLE");
    };
    try (ApiServer s = ApiServer.builder().address("127.0.0.1:0").handler(PrometheusApiHandler.builder()
        .queryable(blocks).evaluator(new FixedEvaluator(null, null)).metadata(failing).build()).start()) {
      assertError(get(s, "/api/v1/metadata"), 500, "internal", "retrieving metadata: store b failed: UNAVAILABLE");
    }
  }

  @Test
  void queryExemplarsPassesTheQuerySelectorsAndWritesPrometheusJson() throws Exception {
    List<ExemplarQuery> calls = new java.util.concurrent.CopyOnWriteArrayList<>();
    ExemplarSource source = (query, options) -> {
      calls.add(query);
      return new ExemplarSet(List.of(new ExemplarSeries(Labels.of("__name__", "req_total", "job", "app"),
          List.of(new Exemplar(Labels.of("trace_id", "abc"), 6, 1_600_096_945_479L),
              new Exemplar(Labels.of(), Double.POSITIVE_INFINITY, 1_600_096_946_000L)))), List.of("store b failed"));
    };
    try (ApiServer s = ApiServer.builder().address("127.0.0.1:0").handler(PrometheusApiHandler.builder()
        .queryable(blocks).evaluator(new FixedEvaluator(null, null)).exemplars(source).build()).start()) {
      Reply r = post(s, "/api/v1/query_exemplars", "query=" + enc("sum(rate(req_total{job=\"app\"}[5m])) / up")
          + "&start=1600096900&end=1600097000");
      assertThat(r.body).isEqualTo("{\"status\":\"success\",\"data\":[{\"seriesLabels\":{\"__name__\":\"req_total\","
          + "\"job\":\"app\"},\"exemplars\":[{\"labels\":{\"trace_id\":\"abc\"},\"value\":\"6\","
          + "\"timestamp\":1600096945.479},{\"labels\":{},\"value\":\"+Inf\",\"timestamp\":1600096946}]}],"
          + "\"warnings\":[\"store b failed\"]}");
      assertThat(calls).singleElement().satisfies(q -> {
        assertThat(q.selectors()).extracting(Object::toString).containsExactly(
            "[job=\"app\", __name__=\"req_total\"]", "[__name__=\"up\"]");
        assertThat(q.startMillis()).isEqualTo(1_600_096_900_000L);
        assertThat(q.endMillis()).isEqualTo(1_600_097_000_000L);
      });
      // No selector: null, without asking the source; bad input: bad_data.
      assertThat(get(s, "/api/v1/query_exemplars?query=1%2B1").body).isEqualTo("{\"status\":\"success\",\"data\":null}");
      assertThat(calls).hasSize(1);
      assertError(get(s, "/api/v1/query_exemplars?query=up&start=20&end=10"), 400, "bad_data",
          "end timestamp must not be before start timestamp");
      assertThat(get(s, "/api/v1/query_exemplars?query=sum(").status).isEqualTo(400);
    }
  }

  @Test
  void rulesTakeTheirFiltersAndMatchersAndHideGroupsLeftEmpty() throws Exception {
    java.time.Instant t = java.time.Instant.parse("2024-01-01T00:00:00Z");
    List<RuleGroupStatus> groups = List.of(
        new RuleGroupStatus("alerts", "a.yml", List.of(new AlertingRuleStatus("firing", "Down", "up == 0",
            Duration.ofMinutes(5), Duration.ZERO, Labels.of("severity", "page"), Map.of(), List.of(
                new AlertStatus(Labels.of("alertname", "Down", "severity", "page"), Map.of(), "firing", t, null,
                    "0e+00")), "ok", "", Duration.ofMillis(1), t)), Duration.ofMinutes(1), 0, Duration.ZERO, null,
            Duration.ofMillis(1), t),
        new RuleGroupStatus("records", "r.yml", List.of(new RecordingRuleStatus("job:up:sum", "sum by (job) (up)",
            Labels.of(), "ok", "", Duration.ofMillis(1), t)), Duration.ofMinutes(1), 0, Duration.ZERO, "WARN",
            Duration.ofMillis(1), t));
    RuleGroupsSource source = (filter, options) -> new RuleGroups(filter.apply(groups), List.of());
    try (ApiServer s = ApiServer.builder().address("127.0.0.1:0").handler(PrometheusApiHandler.builder()
        .queryable(blocks).evaluator(new FixedEvaluator(null, null)).rules(source).build()).start()) {
      assertThat(get(s, "/api/v1/rules").body).contains("\"name\":\"alerts\"").contains("\"name\":\"records\"")
          .contains("\"partialResponseStrategy\":\"WARN\"");
      String paged = get(s, "/api/v1/rules?match[]=" + enc("{severity=\"page\"}")).body;
      assertThat(paged).contains("\"name\":\"Down\"").doesNotContain("\"name\":\"records\"");
      assertThat(get(s, "/api/v1/rules?type=record").body).doesNotContain("\"name\":\"alerts\"")
          .contains("\"name\":\"job:up:sum\"");
      assertThat(get(s, "/api/v1/alerts").body).contains("\"alertname\":\"Down\"").contains("\"state\":\"firing\"");
      assertThat(get(s, "/api/v1/rules?match[]=" + enc("{severity=\"\"}")).status).isEqualTo(400);
      // Prometheus 3's paging: group_limit groups, then the token (SHA-1 of "file;name") of the next page's first.
      String first = get(s, "/api/v1/rules?group_limit=1").body;
      assertThat(first).contains("\"name\":\"alerts\"").doesNotContain("\"name\":\"records\"")
          .contains("\"groupNextToken\":\"6804db60a61c1c7b937142ec98fc219fe7dba047\"");
      String second = get(s, "/api/v1/rules?group_limit=1&group_next_token=6804db60a61c1c7b937142ec98fc219fe7dba047").body;
      assertThat(second).contains("\"name\":\"records\"").doesNotContain("\"name\":\"alerts\"")
          .doesNotContain("groupNextToken");
      assertError(get(s, "/api/v1/rules?group_next_token=6804db60a61c1c7b937142ec98fc219fe7dba047"), 400, "bad_data", "invalid parameter "
          + "\\\"group_next_token\\\": group_limit needs to be present in order to paginate over the groups");
      assertError(get(s, "/api/v1/rules?group_limit=0"), 400, "bad_data",
          "invalid parameter \\\"group_limit\\\": group_limit needs to be greater than 0");
      assertThat(get(s, "/api/v1/rules?exclude_alerts=true").body).contains("\"alerts\":null")
          .doesNotContain("\"alertname\"");
      assertThat(get(s, "/api/v1/rules?exclude_alerts=maybe").status).isEqualTo(400);
      assertThat(get(s, "/api/v1/rules?group_limit=1&group_next_token=feed").body)
          .contains("invalid group_next_token 'feed'. were rule groups changed?");
    }
  }

  @Test
  void targetsAreWrittenAsThanosQueriersWriteThem() throws Exception {
    Labels l = Labels.of("instance", "a:9090", "job", "api");
    TargetsSource source = (state, options) -> new TargetDiscovery(
        "dropped".equals(state) ? List.of() : List.of(new ActiveTarget(l, l, "api", "http://a:9090/metrics",
            "http://a:9090/metrics", "", java.time.Instant.parse("2024-01-01T00:00:00.5Z"), 0.0125, "up")),
        "active".equals(state) ? List.of() : List.of(new DroppedTarget(Labels.of("job", "x"))), List.of());
    try (ApiServer s = ApiServer.builder().address("127.0.0.1:0").handler(PrometheusApiHandler.builder()
        .queryable(blocks).evaluator(new FixedEvaluator(null, null)).targets(source).build()).start()) {
      assertThat(get(s, "/api/v1/targets").body).isEqualTo("{\"status\":\"success\",\"data\":{\"activeTargets\":[{"
          + "\"discoveredLabels\":{\"instance\":\"a:9090\",\"job\":\"api\"},"
          + "\"labels\":{\"instance\":\"a:9090\",\"job\":\"api\"},\"scrapePool\":\"api\","
          + "\"scrapeUrl\":\"http://a:9090/metrics\",\"globalUrl\":\"http://a:9090/metrics\",\"lastError\":\"\","
          + "\"lastScrape\":\"2024-01-01T00:00:00.5Z\",\"lastScrapeDuration\":0.0125,\"health\":\"up\"}],"
          + "\"droppedTargets\":[{\"discoveredLabels\":{\"job\":\"x\"}}]}}");
      assertThat(get(s, "/api/v1/targets?state=active").body).contains("\"droppedTargets\":[]");
      assertThat(get(s, "/api/v1/targets?state=Dropped").body).contains("\"activeTargets\":[]");
      assertThat(get(s, "/api/v1/targets?state=sleeping").status).isEqualTo(400);
    }
  }

  @Test
  void storesAreGroupedByComponentTypeAsThanosQueriersShowThem() throws Exception {
    java.time.Instant checked = java.time.Instant.parse("2024-01-01T00:00:00.25Z");
    StoreStatusSource source = () -> List.of(
        new StoreStatus("10.0.0.1:10901", "sidecar", checked, null, List.of(Labels.of("cluster", "eu", "replica", "a")),
            1_000, 2_000),
        new StoreStatus("10.0.0.2:10901", "store", checked, "UNAVAILABLE: io exception",
            List.of(Labels.of("cluster", "eu"), Labels.of("cluster", "us")), -62_167_219_200_000L, 3_000),
        new StoreStatus("10.0.0.3:10901", "sidecar", checked, null, List.of(), 0, 4_000));
    try (ApiServer s = ApiServer.builder().address("127.0.0.1:0").handler(PrometheusApiHandler.builder()
        .queryable(blocks).evaluator(new FixedEvaluator(null, null)).stores(source).build()).start()) {
      assertThat(get(s, "/api/v1/stores").body).isEqualTo("{\"status\":\"success\",\"data\":{"
          + "\"sidecar\":[{\"name\":\"10.0.0.1:10901\",\"lastCheck\":\"2024-01-01T00:00:00.25Z\",\"lastError\":null,"
          + "\"labelSets\":[{\"cluster\":\"eu\",\"replica\":\"a\"}],\"minTime\":1000,\"maxTime\":2000},"
          + "{\"name\":\"10.0.0.3:10901\",\"lastCheck\":\"2024-01-01T00:00:00.25Z\",\"lastError\":null,"
          + "\"labelSets\":[],\"minTime\":0,\"maxTime\":4000}],"
          + "\"store\":[{\"name\":\"10.0.0.2:10901\",\"lastCheck\":\"2024-01-01T00:00:00.25Z\","
          + "\"lastError\":\"UNAVAILABLE: io exception\",\"labelSets\":[{\"cluster\":\"eu\"},{\"cluster\":\"us\"}],"
          + "\"minTime\":-62167219200000,\"maxTime\":3000}]}}");
    }
    // Without stores (a querier over local blocks) the answer is empty.
    assertThat(get("/api/v1/stores").body).isEqualTo("{\"status\":\"success\",\"data\":{}}");
  }

  @Test
  void compressesWithGzipWhenTheClientAcceptsIt() throws Exception {
    String path = "/api/v1/query?query=up&time=1704067500";
    String plain = get(path).body;
    HttpResponse<byte[]> gz = CLIENT.send(HttpRequest.newBuilder(server.uri().resolve(path))
        .header("Accept-Encoding", "deflate, gzip;q=0.8").build(), HttpResponse.BodyHandlers.ofByteArray());
    assertThat(gz.headers().firstValue("Content-Encoding")).hasValue("gzip");
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz.body()))) {
      assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(plain);
    }
    HttpResponse<String> refused = CLIENT.send(HttpRequest.newBuilder(server.uri().resolve(path))
        .header("Accept-Encoding", "gzip;q=0, identity").build(), HttpResponse.BodyHandlers.ofString());
    assertThat(refused.headers().firstValue("Content-Encoding")).isEmpty();
    assertThat(refused.body()).isEqualTo(plain);
    // Errors are compressed too.
    HttpResponse<byte[]> gzError = CLIENT.send(HttpRequest.newBuilder(server.uri().resolve("/api/v1/query?time=x"))
        .header("Accept-Encoding", "gzip").build(), HttpResponse.BodyHandlers.ofByteArray());
    assertThat(gzError.statusCode()).isEqualTo(400);
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzError.body()))) {
      assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).startsWith("{\"status\":\"error\"");
    }
  }

  @Test
  void smallBodiesCarryAContentLengthAndLargeOnesStreamWhole() throws Exception {
    HttpResponse<String> small = CLIENT.send(HttpRequest.newBuilder(server.uri()
        .resolve("/api/v1/query?query=up&time=1704067500")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(small.headers().firstValueAsLong("Content-Length"))
        .hasValue(small.body().getBytes(StandardCharsets.UTF_8).length);
    // 2 series x 2,401 points at quarter-second steps: more than the 64 KiB a body is held back for.
    HttpResponse<String> large = CLIENT.send(HttpRequest.newBuilder(server.uri()
        .resolve("/api/v1/query_range?query=up&start=1704067200&end=1704067800&step=0.25")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(large.statusCode()).isEqualTo(200);
    assertThat(large.headers().firstValue("Content-Length")).isEmpty();
    assertThat(large.body().length()).isGreaterThan(64 * 1024);
    assertThat(large.body()).startsWith("{\"status\":\"success\"").endsWith("]]}]}}");
    assertThat(large.body().split(",\"1\"]", -1)).hasSize(2402);
    assertThat(large.body().split(",\"0\"]", -1)).hasSize(2402);
  }

  @Test
  void servesTheQueryPageAndLeavesOtherPathsAlone() throws Exception {
    Reply page = get("/");
    assertThat(page.status).isEqualTo(200);
    assertThat(page.contentType).startsWith("text/html");
    assertThat(page.body).contains("<canvas", "api/v1/query_range").doesNotContain("<script src", "<link ");
    assertThat(get("/api/v1/no_such_endpoint").status).isEqualTo(404);
    assertThat(get("/other").status).isEqualTo(404);
    HttpResponse<String> put = CLIENT.send(HttpRequest.newBuilder(server.uri().resolve("/api/v1/query"))
        .PUT(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(put.statusCode()).isEqualTo(405);
    HttpResponse<String> postValues = CLIENT.send(HttpRequest.newBuilder(server.uri().resolve("/api/v1/label/job/values"))
        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(postValues.statusCode()).isEqualTo(405);
    HttpResponse<String> options = CLIENT.send(HttpRequest.newBuilder(server.uri().resolve("/api/v1/query"))
        .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).header("Origin", "http://grafana.example")
        .build(), HttpResponse.BodyHandlers.ofString());
    assertThat(options.statusCode()).isEqualTo(204);
    assertThat(options.headers().firstValue("Access-Control-Allow-Origin")).hasValue("http://grafana.example");
  }

  @Test
  void lifecycleRoutesProbeAndReload() throws Exception {
    assertThat(get("/-/healthy")).isEqualTo(new Reply(200, "text/plain; charset=utf-8", "Orrery is Healthy.\n"));
    assertThat(get("/-/ready").status).isEqualTo(200);
    assertThat(send(server, "POST", "/-/ready").status).isEqualTo(405);
    assertThat(send(server, "POST", "/-/reload").status).as("no reloader").isEqualTo(404);
    assertThat(get("/-/other").status).isEqualTo(404);

    AtomicInteger reloads = new AtomicInteger();
    AtomicReference<Exception> failure = new AtomicReference<>();
    PrometheusApiHandler handler = PrometheusApiHandler.builder().queryable(blocks)
        .evaluator(new EngineQueryEvaluator(Engine.builder().build(), blocks, Duration.ofMinutes(1)))
        .reloader(() -> {
          if (failure.get() != null) {
            throw failure.get();
          }
          reloads.incrementAndGet();
        }).build();
    try (ApiServer reloading = ApiServer.builder().address("127.0.0.1:0").handler(handler).start()) {
      assertThat(send(reloading, "POST", "/-/reload")).isEqualTo(new Reply(200, "text/plain; charset=utf-8", ""));
      assertThat(send(reloading, "PUT", "/-/reload").status).isEqualTo(200);
      assertThat(reloads).hasValue(2);

      Reply wrongMethod = send(reloading, "GET", "/-/reload");
      assertThat(wrongMethod.status).isEqualTo(405);
      assertThat(wrongMethod.body).isEqualTo("Only POST or PUT requests allowed\n");
      failure.set(new IllegalArgumentException("rules.yml: not YAML"));
      assertThat(send(reloading, "POST", "/-/reload"))
          .isEqualTo(new Reply(500, "text/plain; charset=utf-8", "failed to reload: rules.yml: not YAML\n"));
      assertThat(reloads).hasValue(2);
    }
  }

  // ---------------------------------------------------------------- helpers

  private record Reply(int status, String contentType, String body) {}

  private static void assertError(Reply r, int status, String type, String escapedMessage) {
    assertThat(r.status).as(r.body).isEqualTo(status);
    assertThat(r.body).isEqualTo("{\"status\":\"error\",\"errorType\":\"" + type + "\",\"error\":\"" + escapedMessage
        + "\"}");
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static Reply get(String path) throws IOException, InterruptedException {
    return get(server, path);
  }

  private static Reply get(ApiServer s, String path) throws IOException, InterruptedException {
    HttpResponse<String> r = CLIENT.send(HttpRequest.newBuilder(URI.create(s.uri() + path.substring(1))).build(),
        HttpResponse.BodyHandlers.ofString());
    return new Reply(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body());
  }

  private static Reply send(ApiServer s, String method, String path) throws IOException, InterruptedException {
    HttpResponse<String> r = CLIENT.send(HttpRequest.newBuilder(URI.create(s.uri() + path.substring(1)))
        .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    return new Reply(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body());
  }

  private static Reply post(String path, String form) throws IOException, InterruptedException {
    return post(server, path, form);
  }

  private static Reply post(ApiServer s, String path, String form) throws IOException, InterruptedException {
    HttpResponse<String> r = CLIENT.send(HttpRequest.newBuilder(URI.create(s.uri() + path.substring(1)))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    return new Reply(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body());
  }

  private static ApiServer serverWith(QueryEvaluator evaluator) throws Exception {
    PrometheusApiHandler handler = PrometheusApiHandler.builder().queryable(blocks).evaluator(evaluator).build();
    return ApiServer.builder().address("127.0.0.1:0").handler(handler).start();
  }

  /** Answers every query with one result or one failure, and records the options it was given. */
  private static final class FixedEvaluator implements QueryEvaluator {
    private final QueryResult result;
    private final QueryException failure;
    volatile QueryOptions lastOptions;

    FixedEvaluator(QueryResult result, QueryException failure) {
      this.result = result;
      this.failure = failure;
    }

    @Override
    public QueryResult instantQuery(String query, long timeMillis, QueryOptions options) {
      return answer(options);
    }

    @Override
    public QueryResult rangeQuery(String query, long startMillis, long endMillis, long stepMillis,
        QueryOptions options) {
      return answer(options);
    }

    private QueryResult answer(QueryOptions options) {
      lastOptions = options;
      if (failure != null) {
        throw failure;
      }
      return result;
    }
  }
}
