package dev.orrery.promql.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
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
import dev.orrery.core.storage.Queryable;
import dev.orrery.core.storage.SeriesSet;
import dev.orrery.core.testing.MetricsText;
import dev.orrery.promql.engine.Engine;
import dev.orrery.promql.http.ApiServer;
import dev.orrery.promql.http.EngineQueryEvaluator;
import dev.orrery.promql.http.PrometheusApiHandler;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The ruler end to end over a small source: recording rules (one reading another's result in the same evaluation),
 * an alert that goes pending, fires, is sent to a real HTTP Alertmanager on loopback, resolves and is sent again, the
 * {@code ALERTS} series and staleness markers, {@code /api/v1/rules} and {@code /api/v1/alerts}, and reloads that keep
 * the state of the rules that stay.
 */
class RuleManagerTest {
  private static final long M = 60_000;
  private static final long T0 = 1_700_000_000_000L / M * M;
  /** The manager's clock, after every evaluation of the tests: when reloads happen. */
  private static final long NOW = T0 + 30 * M;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final List<JsonNode> received = new CopyOnWriteArrayList<>();
  private HttpServer alertmanager;
  private AlertmanagerNotifier notifier;
  private RuleStorage source;
  private RuleManager manager;
  private Engine engine;
  private ApiServer api;
  private final HttpClient http = HttpClient.newHttpClient();
  private final PrometheusRegistry registry = new PrometheusRegistry();

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
      source.append(Labels.of("__name__", "errors", "job", "api"), t, 3);
    }
    engine = Engine.builder().build();
    manager = RuleManager.builder(engine, source).notifier(notifier).metrics(registry)
        .externalUrl("http://querier:10902/")
        .externalLabels(Map.of("ruler", "r1")).clock(Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC)).build();
    load("""
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
        """);
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
    load("""
        groups:
          - name: g
            rules:
              - record: broken
                expr: up + on(job) up
              - record: fine
                expr: count(up)
        """);

    manager.evaluate(T0);

    List<RuleManager.RuleStatus> rules = manager.groups().get(0).rules();
    assertThat(rules.get(0).health()).isEqualTo(RuleHealth.ERR);
    assertThat(rules.get(0).lastError()).contains("many-to-many matching not allowed");
    assertThat(rules.get(1).health()).isEqualTo(RuleHealth.OK);
    assertThat(values(manager.storage(), "fine")).containsExactly(2.0);
  }

  @Test
  void evaluationsAndFailuresAreCountedPerGroupAsPrometheusNamesThem() {
    load("""
        groups:
          - name: g
            interval: 30s
            rules:
              - record: broken
                expr: up + on(job) up
              - record: fine
                expr: count by (instance) (up)
        """);
    manager.evaluate(T0);
    manager.evaluate(T0 + M);

    String text = MetricsText.of(registry);
    String g = "{rule_group=\"rules.yml;g\"}";
    assertThat(MetricsText.value(text, "prometheus_rule_evaluations_total" + g)).isEqualTo(4);
    assertThat(MetricsText.value(text, "prometheus_rule_evaluation_failures_total" + g)).isEqualTo(2);
    assertThat(MetricsText.value(text, "prometheus_rule_group_rules" + g)).isEqualTo(2);
    assertThat(MetricsText.value(text, "prometheus_rule_group_interval_seconds" + g)).isEqualTo(30);
    assertThat(MetricsText.value(text, "prometheus_rule_group_last_evaluation_timestamp_seconds" + g))
        .isEqualTo((T0 + M) / 1000.0);
    assertThat(MetricsText.value(text, "prometheus_rule_group_last_evaluation_samples" + g)).isEqualTo(2);
    assertThat(MetricsText.value(text, "prometheus_rule_group_last_duration_seconds" + g)).isPositive();
    assertThat(MetricsText.value(text, "prometheus_rule_evaluation_duration_seconds_count")).isEqualTo(4);
    assertThat(MetricsText.value(text, "prometheus_rule_group_duration_seconds_count")).isEqualTo(2);
    // The group the set-up loaded was replaced, and its series went with it.
    assertThat(text).doesNotContain("rules.yml;availability");

    load("""
        groups:
          - name: other
            rules:
              - record: fine
                expr: count(up)
        """);
    assertThat(MetricsText.of(registry)).doesNotContain("rules.yml;g").contains("rule_group=\"rules.yml;other\"");
  }

  /**
   * As in Prometheus, an expression's type is not checked when the rules load: a scalar alert fires as one alert
   * without series labels, and a range vector fails its rule when evaluated.
   */
  @Test
  void scalarAlertsFireAndRangeVectorRulesFailWhenEvaluated() {
    load("""
        groups:
          - name: g
            rules:
              - alert: ScalarOne
                expr: "1"
              - record: ranged
                expr: up[5m]
        """);

    manager.evaluate(T0);

    List<RuleManager.RuleStatus> rules = manager.groups().get(0).rules();
    assertThat(rules.get(0).health()).isEqualTo(RuleHealth.OK);
    assertThat(rules.get(0).alerts()).singleElement()
        .satisfies(a -> assertThat(a.labels()).isEqualTo(Labels.of("alertname", "ScalarOne")));
    assertThat(rules.get(1).health()).isEqualTo(RuleHealth.ERR);
    assertThat(rules.get(1).lastError()).contains("range vector");
  }

  @Test
  void keepFiringForHoldsAResolvedAlertAndLimitsFailTheRule() {
    load("""
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
        """);

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
    load("""
        groups:
          - name: g
            rules:
              - alert: Down
                expr: up == 0
                for: 1h
              - alert: DownShort
                expr: up == 0
                for: 5m
        """);

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

  @Test
  void aPendingAlertKeepsCountingItsForAcrossAReload() {
    String rules = """
        groups:
          - name: g
            rules:
              - alert: Errors
                expr: errors > 0
                for: 5m
        """;
    load(rules);
    for (long t = T0; t <= T0 + 3 * M; t += M) {
      manager.evaluate(t);
    }

    // The expression changes, the name and labels stay: the alert is the same.
    load(rules.replace("errors > 0", "errors > 1"));
    manager.evaluate(T0 + 4 * M);

    assertThat(manager.alerts()).singleElement().satisfies(a -> {
      assertThat(a.state()).isEqualTo(AlertState.PENDING);
      assertThat(a.activeAt()).isEqualTo(Instant.ofEpochMilli(T0));
    });
    manager.evaluate(T0 + 5 * M);
    assertThat(manager.alerts()).singleElement().satisfies(a -> {
      assertThat(a.state()).isEqualTo(AlertState.FIRING);
      assertThat(a.firedAt()).isEqualTo(Instant.ofEpochMilli(T0 + 5 * M));
    });
    RuleManager.RuleStatus rule = manager.groups().get(0).rules().get(0);
    assertThat(rule.rule().exprText()).isEqualTo("errors > 1");
    assertThat(rule.health()).isEqualTo(RuleHealth.OK);
    // The for state was restored before the reload: the ALERTS series go on without a gap.
    assertThat(samples(manager.storage(), "ALERTS_FOR_STATE")).extracting(Point::t)
        .containsExactly(T0 + M, T0 + 2 * M, T0 + 3 * M, T0 + 4 * M, T0 + 5 * M);
  }

  @Test
  void aFiringAlertSurvivesAReloadWithoutAnEarlyResendOrAResolve() throws Exception {
    manager.evaluate(T0);
    manager.evaluate(T0 + M);
    manager.evaluate(T0 + 2 * M);
    Labels down = Labels.of("alertname", "InstanceDown", "instance", "b", "job", "api", "severity", "page");
    assertThat(awaitAlerts(1)).hasSize(1);

    // A new rule and a changed expression: the group is replaced, the alert taken over.
    load("""
        groups:
          - name: availability
            interval: 1m
            rules:
              - record: job:up:sum
                expr: sum by (job) (up)
              - record: job:up:count
                expr: count by (job) (up)
              - record: job:up:down
                expr: count by (job) (up == 0)
              - alert: InstanceDown
                expr: up < 1
                for: 2m
                labels:
                  severity: page
                annotations:
                  summary: "{{ $labels.instance }} is down"
              - alert: SeenFromRecorded
                expr: job:up:down > 0
                for: 10m
        """);
    manager.evaluate(T0 + 3 * M);

    assertThat(manager.alerts()).filteredOn(a -> a.labels().equals(down)).singleElement().satisfies(a -> {
      assertThat(a.state()).isEqualTo(AlertState.FIRING);
      assertThat(a.activeAt()).isEqualTo(Instant.ofEpochMilli(T0));
      assertThat(a.firedAt()).isEqualTo(Instant.ofEpochMilli(T0 + 2 * M));
      assertThat(a.annotations()).containsEntry("summary", "b is down");
    });
    manager.evaluate(T0 + 4 * M);
    // Sent at 2m, not again at 3m (resend delay 1m), then resolved at 4m: the reload sent nothing of its own. The
    // notifier sends in order, so once the resolution is there an earlier send would be too.
    List<JsonNode> sent = awaitAlerts(2);
    assertThat(sent).hasSize(2);
    assertThat(Instant.parse(sent.get(1).get("endsAt").asText())).isEqualTo(Instant.ofEpochMilli(T0 + 4 * M));
    List<Double> firing = values(manager.storage(), "ALERTS", Matcher.equal("alertstate", "firing"),
        Matcher.equal("alertname", "InstanceDown"));
    assertThat(firing).hasSize(3).startsWith(1.0, 1.0);
    assertThat(StaleNaN.is(firing.get(2))).isTrue();
  }

  @Test
  void seriesOfRemovedAndRenamedRulesAreMarkedStaleAtTheGroupsNextEvaluation() {
    load("""
        groups:
          - name: g
            rules:
              - record: up:count
                expr: count(up)
              - record: up:sum
                expr: sum(up)
              - alert: Errors
                expr: errors > 0
                for: 5m
        """);
    manager.evaluate(T0);
    manager.evaluate(T0 + M);

    load("""
        groups:
          - name: g
            rules:
              - record: up:count
                expr: count(up)
              - alert: ErrorsRenamed
                expr: errors > 0
                for: 5m
        """);

    assertThat(values(manager.storage(), "up:sum")).as("not before the next evaluation").containsExactly(1.0, 1.0);
    manager.evaluate(T0 + 2 * M);

    assertThat(samples(manager.storage(), "up:sum")).last()
        .satisfies(p -> assertThat(p).isEqualTo(new Point(T0 + 2 * M, Double.NaN)));
    assertThat(samples(manager.storage(), "ALERTS", Matcher.equal("alertname", "Errors")))
        .containsExactly(new Point(T0 + M, 1), new Point(T0 + 2 * M, Double.NaN));
    assertThat(values(manager.storage(), "up:count")).containsExactly(2.0, 2.0, 2.0);
    // The renamed alert is a new one: pending since the reload, not since the old one became active.
    assertThat(manager.alerts()).singleElement().satisfies(a -> {
      assertThat(a.labels().get("alertname")).isEqualTo("ErrorsRenamed");
      assertThat(a.activeAt()).isEqualTo(Instant.ofEpochMilli(T0 + 2 * M));
    });
  }

  @Test
  void theSeriesOfARemovedGroupAreMarkedStaleAtTheReload() {
    load("""
        groups:
          - name: kept
            rules:
              - record: up:count
                expr: count(up)
          - name: removed
            rules:
              - record: up:sum
                expr: sum(up)
              - alert: Errors
                expr: errors > 0
        """);
    manager.evaluate(T0);
    manager.evaluate(T0 + M);

    load("""
        groups:
          - name: kept
            rules:
              - record: up:count
                expr: count(up)
        """);

    assertThat(samples(manager.storage(), "up:sum")).last().isEqualTo(new Point(NOW, Double.NaN));
    assertThat(samples(manager.storage(), "ALERTS")).last().isEqualTo(new Point(NOW, Double.NaN));
    assertThat(samples(manager.storage(), "ALERTS_FOR_STATE")).last().isEqualTo(new Point(NOW, Double.NaN));
    assertThat(values(manager.storage(), "up:count")).containsExactly(2.0, 2.0);
    assertThat(manager.groups()).extracting(g -> g.group().name()).containsExactly("kept");
    assertThat(manager.alerts()).isEmpty();
  }

  @Test
  void aStartedManagerSchedulesTheReloadedGroupsAndStopsTheOldOnes() throws Exception {
    // A source with samples around now, and a manager on the system clock.
    RuleStorage live = new RuleStorage();
    long now = System.currentTimeMillis();
    for (long t = now - 5 * M; t <= now + 5 * M; t += 1000) {
      live.append(Labels.of("__name__", "up", "instance", "a"), t, 1);
    }
    ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
    try (RuleManager running = RuleManager.builder(engine, live).build()) {
      running.load(RuleFiles.parse("""
          groups:
            - name: g
              interval: 100ms
              rules:
                - record: kept
                  expr: count(up)
            - name: removed
              interval: 100ms
              rules:
                - record: gone
                  expr: count(up)
          """, "rules.yml", Duration.ofMinutes(1)));
      running.start(scheduler);
      await(() -> values(running.storage(), "kept").size() >= 2 && values(running.storage(), "gone").size() >= 2);

      running.load(RuleFiles.parse("""
          groups:
            - name: g
              interval: 100ms
              rules:
                - record: kept
                  expr: count(up)
                - record: added
                  expr: sum(up)
          """, "rules.yml", Duration.ofMinutes(1)));
      List<Double> gone = values(running.storage(), "gone");
      await(() -> values(running.storage(), "added").size() >= 3);

      assertThat(StaleNaN.is(gone.get(gone.size() - 1))).as("marked stale at the reload").isTrue();
      assertThat(values(running.storage(), "gone")).as("no longer evaluated").isEqualTo(gone);
      assertThat(values(running.storage(), "kept")).as("taken over, nothing marked stale").containsOnly(1.0);
      List<Long> times = samples(running.storage(), "kept").stream().map(Point::t).toList();
      assertThat(times).as("on the same 100ms grid").allSatisfy(t -> assertThat(t % 100).isEqualTo(times.get(0) % 100));
      assertThatThrownBy(() -> running.start(scheduler)).isInstanceOf(IllegalStateException.class);
    } finally {
      scheduler.shutdownNow();
    }
  }

  @Test
  void aReloadWaitsForTheEvaluationInProgressAndTakesOverItsResult() throws Exception {
    CountDownLatch querying = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicBoolean first = new AtomicBoolean(true);
    Queryable slow = (min, max) -> {
      if (first.compareAndSet(true, false)) {
        querying.countDown();
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return source.querier(min, max);
    };
    String rules = """
        groups:
          - name: g
            rules:
              - record: up:count
                expr: count(up)
              - record: up:sum
                expr: sum(up)
        """;
    ExecutorService threads = Executors.newFixedThreadPool(2);
    try (RuleManager slowManager = RuleManager.builder(engine, slow).build()) {
      slowManager.load(RuleFiles.parse(rules, "rules.yml", Duration.ofMinutes(1)));
      Future<?> evaluation = threads.submit(() -> slowManager.evaluate(T0));
      querying.await();

      Future<?> reload = threads.submit(() -> slowManager.load(RuleFiles.parse(
          rules.replace("count(up)", "count(up) + 0").replace("up:sum", "up:total"), "rules.yml",
          Duration.ofMinutes(1))));

      assertThatThrownBy(() -> reload.get(300, TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);
      release.countDown();
      evaluation.get(10, TimeUnit.SECONDS);
      reload.get(10, TimeUnit.SECONDS);
      slowManager.evaluate(T0 + M);

      // The evaluation finished and the new group took over what it stored.
      assertThat(samples(slowManager.storage(), "up:sum"))
          .containsExactly(new Point(T0, 1), new Point(T0 + M, Double.NaN));
      assertThat(values(slowManager.storage(), "up:count")).containsExactly(2.0, 2.0);
      assertThat(values(slowManager.storage(), "up:total")).containsExactly(1.0);
    } finally {
      threads.shutdownNow();
    }
  }

  @Test
  void twoGroupsWithTheSameFileAndNameAreRejectedAndNothingChanges() {
    List<RuleGroup> once = RuleFiles.parse("""
        groups:
          - name: g
            rules:
              - record: x
                expr: count(up)
        """, "rules.yml", Duration.ofMinutes(1));
    List<RuleGroup> twice = new ArrayList<>(once);
    twice.addAll(once);

    assertThatThrownBy(() -> manager.load(twice)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("rule group g of rules.yml is given twice");
    assertThat(manager.groups()).extracting(g -> g.group().name()).containsExactly("availability");
  }

  private void load(String rules) {
    manager.load(RuleFiles.parse(rules, "rules.yml", Duration.ofMinutes(1)));
  }

  private static void await(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("timed out").isLessThan(deadline);
      Thread.sleep(20);
    }
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
          .rules(manager).build();
      api = ApiServer.builder().address("127.0.0.1", 0).handler(handler).start();
    }
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(api.uri().resolve(pathAndQuery)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  private static List<Double> values(RuleStorage storage, String name, Matcher... more) {
    return samples(storage, name, more).stream().map(Point::v).toList();
  }

  /** A stored sample. Records compare doubles as {@link Double#compare}: a staleness marker equals {@code NaN}. */
  private record Point(long t, double v) {}

  private static List<Point> samples(RuleStorage storage, String name, Matcher... more) {
    List<Matcher> matchers = new ArrayList<>(List.of(more));
    matchers.add(Matcher.equal("__name__", name));
    List<Point> out = new ArrayList<>();
    try (Querier q = storage.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
      SeriesSet set = q.select(true, null, matchers.toArray(Matcher[]::new));
      while (set.next()) {
        SampleIterator it = set.at().iterator(null);
        while (it.next() == ValueType.FLOAT) {
          out.add(new Point(it.atT(), it.atV()));
        }
      }
    }
    return out;
  }
}
