package dev.orrery.promql.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orrery.core.block.BlockMeta;
import dev.orrery.core.block.BlockSet;
import dev.orrery.core.block.BlockWriter;
import dev.orrery.core.chunk.SampleIterator;
import dev.orrery.core.chunk.ValueType;
import dev.orrery.core.histogram.CounterResetHint;
import dev.orrery.core.histogram.FloatHistogram;
import dev.orrery.core.histogram.Span;
import dev.orrery.core.labels.Labels;
import dev.orrery.core.labels.Matcher;
import dev.orrery.core.storage.Querier;
import dev.orrery.core.storage.SeriesSet;
import dev.orrery.core.testing.HistogramWal;
import dev.orrery.core.testing.PrometheusProcess;
import dev.orrery.promql.engine.Engine;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rules evaluated through a real Prometheus 2.42's query API give what the engine gives over the same block. */
@Tag("interop")
class PrometheusApiRuleQueryTest {
  static final long T0 = 1_704_067_200_000L; // 2024-01-01T00:00:00Z
  static final String RULES = """
      groups:
        - name: g
          rules:
            - record: job:requests:rate5m
              expr: sum by (job) (rate(requests_total[5m]))
            - record: job:up:ratio
              expr: avg by (job) (up)
            - record: scalar_one
              expr: vector(1)
            - alert: InstanceDown
              expr: up == 0
            - record: broken
              expr: requests_total * on (job) group_left up
      """;

  @TempDir
  Path dir;

  @Test
  void rulesGiveTheSameResultsThroughPrometheusAsThroughTheEngine() throws Exception {
    Path data = Files.createDirectories(dir.resolve("data"));
    BlockWriter w = BlockWriter.builder(data).build();
    for (int i = 0; i < 240; i++) {
      long t = T0 + i * 15_000L;
      for (String instance : List.of("a", "b", "c")) {
        w.append(Labels.of("__name__", "requests_total", "job", "api", "instance", instance), t,
            i * (instance.charAt(0) - 'a' + 1) * 1.5);
        w.append(Labels.of("__name__", "up", "job", "api", "instance", instance), t,
            instance.equals("c") && i > 100 ? 0 : 1);
      }
    }
    BlockMeta meta = w.commit();
    long at = T0 + 200 * 15_000L;
    Map<String, Double> local;
    try (BlockSet blocks = BlockSet.open(data)) {
      local = evaluate(RuleManager.builder(Engine.builder().build(), blocks), at);
    }
    Map<String, Double> remote;
    try (PrometheusProcess prom = PrometheusProcess.start(dir, data, Map.of());
        PrometheusApiRuleQuery query = new PrometheusApiRuleQuery(
            List.of(URI.create("http://127.0.0.1:" + PrometheusProcess.freePort()), prom.url()),
            Duration.ofSeconds(30))) {
      remote = evaluate(RuleManager.builder(query), at);
      RuleManager manager = RuleManager.builder(query).build();
      manager.load(RuleFiles.parse(RULES, "rules.yml", Duration.ofMinutes(1)));
      manager.evaluate(at);
      RuleManager.RuleStatus broken = manager.groups().get(0).rules().get(4);
      assertThat(broken.health()).isEqualTo(RuleHealth.ERR);
      assertThat(broken.lastError()).contains("execution").contains("many-to-many");
      assertThat(manager.alerts()).singleElement().satisfies(a -> assertThat(a.labels().get("instance"))
          .isEqualTo("c"));
    }
    assertThat(meta.stats().numSamples()).isEqualTo(240 * 6);
    assertThat(local).containsKeys("job:requests:rate5m{job=\"api\"}", "job:up:ratio{job=\"api\"}", "scalar_one");
    assertThat(remote.keySet()).isEqualTo(local.keySet());
    local.forEach((series, v) -> assertThat(remote.get(series)).as(series).isCloseTo(v,
        org.assertj.core.data.Offset.offset(Math.abs(v) * 1e-12)));
  }

  /**
   * Native histogram results come back from Prometheus' JSON as the histograms the engine records from the same data:
   * Prometheus 2.42 (native histograms on) replays them from a WAL, the engine reads them from a block.
   */
  @Test
  void nativeHistogramResultsRecordThroughPrometheusAsThroughTheEngine() throws Exception {
    String rules = """
        groups:
          - name: h
            rules:
              - record: job:latency:rate1m
                expr: sum by (job) (rate(latency_seconds[1m]))
              - record: latency:last
                expr: latency_seconds
        """;
    Labels series = Labels.of("__name__", "latency_seconds", "job", "api");
    int points = 40;
    Path blocks = Files.createDirectories(dir.resolve("blocks"));
    Path promData = dir.resolve("prom");
    BlockWriter w = BlockWriter.builder(blocks).build();
    long[] ts = new long[points];
    FloatHistogram[] hs = new FloatHistogram[points];
    for (int i = 0; i < points; i++) {
      ts[i] = T0 + i * 15_000L;
      // Schema 3, a zero bucket, positive and negative buckets with a gap: a layout the JSON must give back.
      hs[i] = new FloatHistogram(CounterResetHint.UNKNOWN, 3, 0.001, i, 10.0 * i, i * 0.75,
          new Span[] {new Span(-2, 2), new Span(3, 2)}, new double[] {i, 2.0 * i, 3.0 * i, i},
          new Span[] {new Span(5, 2)}, new double[] {i, i}, new double[0]);
      w.append(series, ts[i], hs[i]);
    }
    HistogramWal.write(promData, List.of(series), ts, List.<FloatHistogram[]>of(hs));
    w.commit();
    long at = T0 + (points - 1) * 15_000L;
    Map<String, FloatHistogram> local;
    try (BlockSet set = BlockSet.open(blocks)) {
      local = evaluateHistograms(RuleManager.builder(Engine.builder().build(), set), rules, at);
    }
    Map<String, FloatHistogram> remote;
    try (PrometheusProcess prom = PrometheusProcess.start(dir, promData, Map.of(),
        "--enable-feature=native-histograms");
        PrometheusApiRuleQuery query = new PrometheusApiRuleQuery(List.of(prom.url()), Duration.ofSeconds(30))) {
      remote = evaluateHistograms(RuleManager.builder(query), rules, at);
    }
    assertThat(local).containsOnlyKeys("job:latency:rate1m{job=\"api\"}", "latency:last{job=\"api\"}");
    assertThat(remote.keySet()).isEqualTo(local.keySet());
    local.forEach((name, h) -> {
      FloatHistogram r = remote.get(name);
      assertThat(r.schema()).as(name).isEqualTo(h.schema());
      assertThat(r.zeroThreshold()).as(name).isEqualTo(h.zeroThreshold());
      assertThat(r.count()).as(name).isCloseTo(h.count(), org.assertj.core.data.Offset.offset(1e-9));
      assertThat(r.zeroCount()).as(name).isCloseTo(h.zeroCount(), org.assertj.core.data.Offset.offset(1e-9));
      assertThat(r.positiveSpans()).as(name).containsExactly(h.positiveSpans());
      assertThat(r.negativeSpans()).as(name).containsExactly(h.negativeSpans());
      for (int k = 0; k < h.positiveBuckets().length; k++) {
        assertThat(r.positiveBuckets()[k]).as(name).isCloseTo(h.positiveBuckets()[k],
            org.assertj.core.data.Offset.offset(1e-9));
      }
    });
  }

  /** Evaluates {@code rules} once at {@code at}; the recorded histogram series and their histograms. */
  private static Map<String, FloatHistogram> evaluateHistograms(RuleManager.Builder builder, String rules, long at)
      throws Exception {
    RuleStorage storage = new RuleStorage();
    RuleManager manager = builder.storage(storage).build();
    manager.load(RuleFiles.parse(rules, "rules.yml", Duration.ofMinutes(1)));
    manager.evaluate(at);
    assertThat(manager.groups().get(0).rules()).allSatisfy(r -> assertThat(r.lastError()).isEmpty());
    Map<String, FloatHistogram> out = new TreeMap<>();
    try (Querier q = storage.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
      SeriesSet set = q.select(true, null, Matcher.notEqual("__name__", ""));
      while (set.next()) {
        SampleIterator it = set.at().iterator(null);
        assertThat(it.next()).isEqualTo(ValueType.FLOAT_HISTOGRAM);
        Labels l = set.at().labels();
        out.put(l.metricName() + l.withoutMetricName().toString().replace(" ", ""), it.atFloatHistogram());
      }
    }
    return out;
  }

  @Test
  void noAnsweringEndpointFailsTheRule() throws Exception {
    try (PrometheusApiRuleQuery query = new PrometheusApiRuleQuery(
        List.of(URI.create("http://127.0.0.1:" + PrometheusProcess.freePort())), Duration.ofSeconds(5))) {
      RuleManager manager = RuleManager.builder(query).build();
      manager.load(RuleFiles.parse(RULES, "rules.yml", Duration.ofMinutes(1)));
      manager.evaluate(T0);
      assertThat(manager.groups().get(0).rules()).allSatisfy(r -> {
        assertThat(r.health()).isEqualTo(RuleHealth.ERR);
        assertThat(r.lastError()).startsWith("no query endpoint answered");
      });
    }
  }

  @Test
  void theQueryPathKeepsTheEndpointsPrefix() {
    assertThat(PrometheusApiRuleQuery.queryUri(URI.create("http://q:10902"))).hasToString("http://q:10902/api/v1/query");
    assertThat(PrometheusApiRuleQuery.queryUri(URI.create("http://q/thanos/")))
        .hasToString("http://q/thanos/api/v1/query");
  }

  /** Evaluates {@link #RULES} once at {@code at}; the recorded series (name and labels) and their values. */
  private static Map<String, Double> evaluate(RuleManager.Builder builder, long at) throws Exception {
    RuleStorage storage = new RuleStorage();
    RuleManager manager = builder.storage(storage).build();
    manager.load(RuleFiles.parse(RULES, "rules.yml", Duration.ofMinutes(1)));
    manager.evaluate(at);
    Map<String, Double> out = new TreeMap<>();
    try (Querier q = storage.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
      SeriesSet set = q.select(true, null, Matcher.notEqual("__name__", "ALERTS_FOR_STATE"));
      while (set.next()) {
        SampleIterator it = set.at().iterator(null);
        assertThat(it.next()).isEqualTo(ValueType.FLOAT);
        Labels l = set.at().labels();
        out.put(l.metricName() + (l.size() > 1 ? l.withoutMetricName().toString().replace(" ", "") : ""), it.atV());
      }
    }
    return out;
  }
}
