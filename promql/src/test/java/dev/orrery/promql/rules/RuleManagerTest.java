package dev.orrery.promql.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.orrery.core.chunk.SampleIterator;
import dev.orrery.core.chunk.StaleNaN;
import dev.orrery.core.chunk.ValueType;
import dev.orrery.core.labels.Labels;
import dev.orrery.core.labels.Matcher;
import dev.orrery.core.storage.Querier;
import dev.orrery.core.storage.SeriesSet;
import dev.orrery.promql.engine.Engine;
import dev.orrery.promql.http.ApiServer;
import dev.orrery.promql.http.EngineQueryEvaluator;
import dev.orrery.promql.http.PrometheusApiHandler;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The ruler end to end over a small source: recording rules (one reading another's result in the same evaluation),
 * an alert that goes pending, fires, is sent to a real HTTP Alertmanager on loopback, resolves and is sent again, the
 * {@code ALERTS} series and staleness markers, and {@code /api/v1/rules} and {@code /api/v1/alerts}.
 */
class RuleManagerTest {
  private static final long M = 60_000;
  private static final long T0 = 1_700_000_000_000L / M * M;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final List<JsonNode> received = new CopyOnWriteArrayList<>();
  private HttpServer alertmanager;
  private AlertmanagerNotifier notifier;
  private RuleStorage source;
  private RuleManager manager;
  private Engine engine;
  private ApiServer api;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void setUp() throws Exception {
    alertmanager = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    alertmanager.createContext("/api/v2/alerts", exchange -> {
      for (JsonNode alert : JSON.readTree(exchange.getRequestBody().readAllBytes())) {
        received.add(alert);
      }
      exchange.sendResponseHeaders(200, -1);
      exchange.close();
    });
    alertmanager.start();
    notifier = AlertmanagerNotifier.builder(List.of(URI.create("http://127.0.0.1:"
        + alertmanager.getAddress().getPort()))).build();
    // up{instance="a"} is 1 throughout; up{instance="b"} is 0 until T0 + 4m, then 1.
    source = new RuleStorage();
    for (long t = T0 - 10 * M; t <= T0 + 10 * M; t += 15_000) {
      source.append(Labels.of("__name__", "up", "job", "api", "instance", "a"), t, 1);
      source.append(Labels.of("__name__", "up", "job", "api", "instance", "b"), t, t < T0 + 4 * M ? 0 : 1);
    }
    engine = Engine.builder().build();
    manager = RuleManager.builder(engine, source).notifier(notifier).externalUrl("http://querier:10902/")
        .externalLabels(Map.of("ruler", "r1")).build();
    manager.load(RuleFiles.parse("""
        groups:
          - name: availability
            interval: 1m
            rules:
              - record: job:up:sum
                expr: sum by (job) (up)
              - record: job:up:down
                expr: count by (job) (up == 0)
              - alert: InstanceDown
                expr: up == 0
                for: 2m
                labels:
                  severity: page
                annotations:
                  summary: "{{ $labels.instance }} of {{ $labels.job }} is down ({{ $value }}) on {{ $externalLabels.ruler }}"
              - alert: SeenFromRecorded
                expr: job:up:down > 0
                for: 10m
        """, "rules.yml", Duration.ofMinutes(1)));
  }

  @AfterEach
  void tearDown() throws Exception {
    if (api != null) {
      api.close();
    }
    http.close();
    manager.close();
    notifier.close();
    alertmanager.stop(0);
  }

  @Test
  void alertsGoPendingFireResolveAndReachAlertmanager() throws Exception {
    manager.evaluate(T0);

    Labels down = Labels.of("alertname", "InstanceDown", "instance", "b", "job", "api", "severity", "page");
    assertThat(manager.alerts()).extracting(Alert::labels, Alert::state).containsExactlyInAnyOrder(
        tuple(down, AlertState.PENDING),
        tuple(Labels.of("alertname", "SeenFromRecorded", "job", "api"),
            AlertState.PENDING));

    manager.evaluate(T0 + M);
    manager.evaluate(T0 + 2 * M);

    Alert firing = manager.alerts().stream().filter(a -> a.labels().equals(down)).findFirst().orElseThrow();
    assertThat(firing.state()).isEqualTo(AlertState.FIRING);
    assertThat(firing.activeAt()).isEqualTo(Instant.ofEpochMilli(T0));
    assertThat(firing.firedAt()).isEqualTo(Instant.ofEpochMilli(T0 + 2 * M));
    assertThat(firing.annotations()).containsEntry("summary", "b of api is down (0) on r1");
    JsonNode sent = awaitAlerts(1).get(0);
    assertThat(sent.get("labels").get("alertname").asText()).isEqualTo("InstanceDown");
    assertThat(Instant.parse(sent.get("startsAt").asText())).isEqualTo(Instant.ofEpochMilli(T0 + 2 * M));
    // Valid for four resend periods (1m) unless sent again.
    assertThat(Instant.parse(sent.get("endsAt").asText())).isEqualTo(Instant.ofEpochMilli(T0 + 6 * M));
    assertThat(sent.get("generatorURL").asText()).isEqualTo("http://querier:10902/graph?g0.expr=up+%3D%3D+0&g0.tab=1");
    assertThat(api("/api/v1/alerts").at("/data/alerts")).hasSize(2);
    JsonNode rules = api("/api/v1/rules").at("/data/groups/0");
    assertThat(rules.get("name").asText()).isEqualTo("availability");
    assertThat(rules.get("interval").asInt()).isEqualTo(60);
    assertThat(rules.at("/rules/2/state").asText()).isEqualTo("firing");
    assertThat(rules.at("/rules/2/duration").asInt()).isEqualTo(120);
    assertThat(rules.at("/rules/2/alerts/0/value").asText()).isEqualTo("0e+00");
    assertThat(rules.at("/rules/2/alerts/0/activeAt").asText()).isEqualTo(Instant.ofEpochMilli(T0).toString());
    assertThat(rules.at("/rules/0/type").asText()).isEqualTo("recording");
    assertThat(rules.at("/rules/0/health").asText()).isEqualTo("ok");
    assertThat(api("/api/v1/rules?type=record").at("/data/groups/0/rules")).hasSize(2);

    manager.evaluate(T0 + 3 * M);
    manager.evaluate(T0 + 4 * M);

    // Not sent again at 3m (sent at 2m, resend delay 1m); sent as resolved at 4m.
    List<JsonNode> all = awaitAlerts(2);
    assertThat(all).hasSize(2);
    JsonNode resolved = all.stream().filter(a -> a.get("labels").get("alertname").asText().equals("InstanceDown"))
        .reduce((a, b) -> b).orElseThrow();
    assertThat(Instant.parse(resolved.get("endsAt").asText())).isEqualTo(Instant.ofEpochMilli(T0 + 4 * M));
    assertThat(manager.alerts()).isEmpty();
    assertThat(api("/api/v1/rules").at("/data/groups/0/rules/2/state").asText()).isEqualTo("inactive");

    assertThat(values(manager.storage(), "job:up:sum")).containsExactly(1.0, 1.0, 1.0, 1.0, 2.0);
    List<Double> downCounts = values(manager.storage(), "job:up:down");
    assertThat(downCounts).hasSize(5).startsWith(1.0, 1.0, 1.0, 1.0);
    assertThat(StaleNaN.is(downCounts.get(4))).isTrue();
    assertThat(values(manager.storage(), "ALERTS", Matcher.equal("alertstate", "firing"),
        Matcher.equal("alertname", "InstanceDown"))).hasSize(3).startsWith(1.0, 1.0);
  }

  @Test
  void aFailingRuleIsReportedAndTheOthersStillRun() {
    manager.load(RuleFiles.parse("""
        groups:
          - name: g
            rules:
              - record: broken
                expr: up + on(job) up
              - record: fine
                expr: count(up)
        """, "rules.yml", Duration.ofMinutes(1)));

    manager.evaluate(T0);

    List<RuleManager.RuleStatus> rules = manager.groups().get(0).rules();
    assertThat(rules.get(0).health()).isEqualTo(RuleHealth.ERR);
    assertThat(rules.get(0).lastError()).contains("many-to-many matching not allowed");
    assertThat(rules.get(1).health()).isEqualTo(RuleHealth.OK);
    assertThat(values(manager.storage(), "fine")).containsExactly(2.0);
  }

  @Test
  void keepFiringForHoldsAResolvedAlertAndLimitsFailTheRule() {
    manager.load(RuleFiles.parse("""
        groups:
          - name: g
            rules:
              - alert: Down
                expr: up == 0
                keep_firing_for: 2m
          - name: limited
            limit: 1
            rules:
              - record: too_many
                expr: up
        """, "rules.yml", Duration.ofMinutes(1)));

    manager.evaluate(T0 + 3 * M);
    manager.evaluate(T0 + 4 * M);
    manager.evaluate(T0 + 5 * M);

    // up{instance="b"} recovered at 4m: the alert keeps firing until 4m + 2m.
    assertThat(manager.alerts()).singleElement().satisfies(a -> {
      assertThat(a.state()).isEqualTo(AlertState.FIRING);
      assertThat(a.keepFiringSince()).isEqualTo(Instant.ofEpochMilli(T0 + 4 * M));
    });
    manager.evaluate(T0 + 6 * M);
    assertThat(manager.alerts()).isEmpty();
    RuleManager.RuleStatus limited = manager.groups().get(1).rules().get(0);
    assertThat(limited.health()).isEqualTo(RuleHealth.ERR);
    assertThat(limited.lastError()).isEqualTo("exceeded limit of 1 with 2 series");
  }

  @Test
  void pendingAlertsContinueTheirForStateAfterARestart() throws Exception {
    // Before the restart the alert had pended from T0 - 30m until the ruler stopped at T0 - 10m.
    Labels forState = Labels.of("__name__", "ALERTS_FOR_STATE", "alertname", "Down", "instance", "b", "job", "api");
    for (long t = T0 - 30 * M; t <= T0 - 10 * M; t += M) {
      source.append(forState, t, (T0 - 30 * M) / 1000);
    }
    manager.load(RuleFiles.parse("""
        groups:
          - name: g
            rules:
              - alert: Down
                expr: up == 0
                for: 1h
              - alert: DownShort
                expr: up == 0
                for: 5m
        """, "rules.yml", Duration.ofMinutes(1)));

    manager.evaluate(T0);

    // 20 minutes served, 40 left: the alert became active 20 minutes ago, shifted by the 10 minutes of downtime.
    assertThat(manager.alerts()).filteredOn(a -> a.labels().get("alertname").equals("Down")).singleElement()
        .satisfies(a -> assertThat(a.activeAt()).isEqualTo(Instant.ofEpochMilli(T0 - 20 * M)));
    // A for shorter than the grace period is not restored.
    assertThat(manager.alerts()).filteredOn(a -> a.labels().get("alertname").equals("DownShort")).singleElement()
        .satisfies(a -> assertThat(a.activeAt()).isEqualTo(Instant.ofEpochMilli(T0)));
    assertThat(values(manager.storage(), "ALERTS")).as("nothing before the restore").isEmpty();
    manager.evaluate(T0 + M);
    assertThat(values(manager.storage(), "ALERTS_FOR_STATE", Matcher.equal("alertname", "Down")))
        .containsExactly((double) ((T0 - 20 * M) / 1000));
  }

  private List<JsonNode> awaitAlerts(int n) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (received.size() < n && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(received).hasSizeGreaterThanOrEqualTo(n);
    return new ArrayList<>(received);
  }

  private JsonNode api(String pathAndQuery) throws Exception {
    if (api == null) {
      PrometheusApiHandler handler = PrometheusApiHandler.builder().queryable(manager.storage())
          .evaluator(new EngineQueryEvaluator(engine, manager.storage(), Duration.ofMinutes(1)))
          .rules(manager.endpoint()).build();
      api = ApiServer.builder().address("127.0.0.1", 0).handler(handler).start();
    }
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(api.uri().resolve(pathAndQuery)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  private static List<Double> values(RuleStorage storage, String name, Matcher... more) {
    List<Matcher> matchers = new ArrayList<>(List.of(more));
    matchers.add(Matcher.equal("__name__", name));
    List<Double> out = new ArrayList<>();
    try (Querier q = storage.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
      SeriesSet set = q.select(true, null, matchers.toArray(Matcher[]::new));
      while (set.next()) {
        SampleIterator it = set.at().iterator(null);
        while (it.next() == ValueType.FLOAT) {
          out.add(it.atV());
        }
      }
    }
    return out;
  }
}
