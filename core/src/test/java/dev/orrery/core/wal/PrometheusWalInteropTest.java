package dev.orrery.core.wal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orrery.core.histogram.CounterResetHint;
import dev.orrery.core.histogram.FloatHistogram;
import dev.orrery.core.histogram.Histogram;
import dev.orrery.core.histogram.Span;
import dev.orrery.core.io.EncodeBuffer;
import dev.orrery.core.labels.Labels;
import dev.orrery.core.testing.PrometheusProcess;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** WAL directories written here are replayed by a real Prometheus 2.42, and Prometheus' own WAL is read here. */
@Tag("interop")
class PrometheusWalInteropTest {
  // 2024-01-01T00:00:00Z; one hour of 15 s samples keeps the head below Prometheus' compaction span.
  static final long START = 1704067200000L;
  static final long STEP = 15_000;
  static final int POINTS = 240;

  @TempDir
  Path work;

  @Test
  void prometheusReplaysAWalWrittenHere() throws Exception {
    Path data = work.resolve("data");
    Labels[] series = new Labels[6];
    long[] refs = new long[series.length];
    for (int s = 0; s < series.length; s++) {
      series[s] = Labels.of("__name__", s % 2 == 0 ? "wal_requests_total" : "wal_temperature", "instance",
          "host-" + s, "job", "wal");
      refs[s] = 100 + 7L * s;
    }
    double[][] values = new double[series.length][POINTS];
    EncodeBuffer record = new EncodeBuffer();
    // Two segments and a compressed and an uncompressed part, as a long-running writer leaves them.
    try (WalWriter w = WalWriter.create(data.resolve("wal"), true)) {
      WalRecords.encodeSeries(record, refs, series, series.length);
      w.log(record.toByteArray());
      long[] ts = new long[series.length];
      double[] vs = new double[series.length];
      for (int i = 0; i < POINTS; i++) {
        for (int s = 0; s < series.length; s++) {
          ts[s] = START + i * STEP;
          values[s][i] = s % 2 == 0 ? (i == 0 ? 0 : values[s][i - 1]) + s + (i % 5) : 20 + Math.sin(i / 9.0 + s);
          vs[s] = values[s][i];
        }
        WalRecords.encodeSamples(record, refs, ts, vs, series.length);
        w.log(record.toByteArray());
        if (i == POINTS / 2) {
          w.nextSegment();
        }
      }
    }
    try (PrometheusProcess prom = PrometheusProcess.start(work, data, Map.of())) {
      for (int s = 0; s < series.length; s++) {
        String selector = "{instance=\"host-" + s + "\"}";
        JsonNode result = prom.api("/api/v1/query_range?query=" + URLEncoder.encode(selector, StandardCharsets.UTF_8)
            + "&start=" + START / 1000.0 + "&end=" + (START + (POINTS - 1) * STEP) / 1000.0 + "&step=15")
            .path("result");
        assertThat(result.size()).as(selector).isEqualTo(1);
        assertThat(result.get(0).path("metric").path("__name__").asText()).isEqualTo(series[s].metricName());
        JsonNode points = result.get(0).path("values");
        assertThat(points.size()).isEqualTo(POINTS);
        for (int i = 0; i < POINTS; i++) {
          assertThat(Math.round(points.get(i).get(0).asDouble() * 1000)).isEqualTo(START + i * STEP);
          assertThat(PrometheusProcess.parseValue(points.get(i).get(1).asText())).as("%s at %d", selector, i)
              .isEqualTo(values[s][i]);
        }
      }
    }
  }

  @Test
  void prometheusReplaysFloatHistogramRecordsWrittenHere() throws Exception {
    Path data = work.resolve("histograms");
    Labels series = Labels.of("__name__", "wal_latency_seconds", "job", "wal");
    FloatHistogram[] hs = new FloatHistogram[POINTS];
    long[] ts = new long[POINTS];
    EncodeBuffer record = new EncodeBuffer();
    try (WalWriter w = WalWriter.create(data.resolve("wal"), true)) {
      WalRecords.encodeSeries(record, new long[] {3}, new Labels[] {series}, 1);
      w.log(record.toByteArray());
      for (int i = 0; i < POINTS; i++) {
        ts[i] = START + i * STEP;
        hs[i] = new FloatHistogram(CounterResetHint.UNKNOWN, 0, 0.001, i, 4.0 * i, i * 1.5,
            new Span[] {new Span(0, 3)}, new double[] {i, i, i}, new Span[0], new double[0], new double[0]);
        WalRecords.encodeFloatHistogramSamples(record, new long[] {3}, new long[] {ts[i]}, new FloatHistogram[] {hs[i]},
            1);
        w.log(record.toByteArray());
      }
    }
    try (PrometheusProcess prom = PrometheusProcess.start(work, data, Map.of(),
        "--enable-feature=native-histograms")) {
      for (String fn : List.of("histogram_count", "histogram_sum")) {
        JsonNode result = prom.api("/api/v1/query_range?query=" + URLEncoder.encode(fn + "(wal_latency_seconds)",
            StandardCharsets.UTF_8) + "&start=" + START / 1000.0 + "&end=" + (START + (POINTS - 1) * STEP) / 1000.0
            + "&step=15").path("result");
        assertThat(result.size()).as(fn).isEqualTo(1);
        JsonNode points = result.get(0).path("values");
        assertThat(points.size()).isEqualTo(POINTS);
        for (int i = 0; i < POINTS; i++) {
          double expected = fn.equals("histogram_count") ? hs[i].count() : hs[i].sum();
          assertThat(PrometheusProcess.parseValue(points.get(i).get(1).asText())).as("%s at %d", fn, i)
              .isEqualTo(expected);
        }
      }
    }
  }

  @Test
  void prometheusReplaysIntegerHistogramRecordsWrittenHereAndTheyReadBack() throws Exception {
    Path data = work.resolve("int-histograms");
    Labels series = Labels.of("__name__", "wal_request_seconds", "job", "wal");
    Histogram[] hs = new Histogram[POINTS];
    long[] ts = new long[POINTS];
    EncodeBuffer record = new EncodeBuffer();
    try (WalWriter w = WalWriter.create(data.resolve("wal"), true)) {
      WalRecords.encodeSeries(record, new long[] {5}, new Labels[] {series}, 1);
      w.log(record.toByteArray());
      for (int i = 0; i < POINTS; i++) {
        ts[i] = START + i * STEP;
        // Buckets i, 2i, i as deltas: i, +i, -i.
        hs[i] = new Histogram(CounterResetHint.UNKNOWN, 1, 0.001, i, 4L * i + i, i * 0.25,
            new Span[] {new Span(-1, 3)}, new long[] {i, i, -i}, new Span[0], new long[0], new double[0]);
        WalRecords.encodeHistogramSamples(record, new long[] {5}, new long[] {ts[i]}, new Histogram[] {hs[i]}, 1);
        w.log(record.toByteArray());
      }
    }
    List<FloatHistogram> readBack = new ArrayList<>();
    WalCheckpoint.replay(data.resolve("wal"), new WalRecords.Visitor() {
      @Override
      public void series(long ref, Labels labels) {}

      @Override
      public void sample(long ref, long t, double value) {}

      @Override
      public void floatHistogramSample(long ref, long t, FloatHistogram h) {
        readBack.add(h);
      }
    });
    assertThat(readBack).hasSize(POINTS);
    assertThat(readBack.get(7).positiveBuckets()).containsExactly(7, 14, 7);
    assertThat(readBack.get(7).zeroCount()).isEqualTo(7);
    try (PrometheusProcess prom = PrometheusProcess.start(work, data, Map.of(),
        "--enable-feature=native-histograms")) {
      JsonNode result = prom.api("/api/v1/query_range?query=" + URLEncoder.encode(
          "histogram_count(wal_request_seconds)", StandardCharsets.UTF_8) + "&start=" + START / 1000.0 + "&end="
          + (START + (POINTS - 1) * STEP) / 1000.0 + "&step=15").path("result");
      assertThat(result.size()).isEqualTo(1);
      JsonNode points = result.get(0).path("values");
      assertThat(points.size()).isEqualTo(POINTS);
      for (int i = 0; i < POINTS; i++) {
        assertThat(PrometheusProcess.parseValue(points.get(i).get(1).asText())).as("count at %d", i)
            .isEqualTo(hs[i].count());
      }
    }
  }

  @Test
  void prometheusWalIsReadHere() throws Exception {
    Path data = work.resolve("scraping");
    String instance;
    try (PrometheusProcess prom = PrometheusProcess.startScrapingItself(work, data)) {
      instance = prom.url().getAuthority();
      long deadline = System.nanoTime() + 60_000_000_000L;
      while (prom.api("/api/v1/query?query=" + URLEncoder.encode("count_over_time(up[1m])", StandardCharsets.UTF_8))
          .path("result").path(0).path("value").path(1).asInt(0) < 3) {
        assertThat(System.nanoTime()).as("three scrapes within a minute").isLessThan(deadline);
        Thread.sleep(250);
      }
    }
    Map<Long, Labels> seriesByRef = new HashMap<>();
    List<double[]> up = new ArrayList<>();
    int[] unknownRefs = {0};
    WalCheckpoint.Replay replay = WalCheckpoint.replay(data.resolve("wal"), new WalRecords.Visitor() {
      @Override
      public void series(long ref, Labels labels) {
        seriesByRef.put(ref, labels);
      }

      @Override
      public void sample(long ref, long t, double value) {
        Labels l = seriesByRef.get(ref);
        if (l == null) {
          unknownRefs[0]++;
        } else if (l.metricName().equals("up")) {
          assertThat(l).isEqualTo(Labels.of("__name__", "up", "instance", instance, "job", "prometheus"));
          up.add(new double[] {t, value});
        }
      }
    });
    assertThat(replay.corruption()).isNull();
    assertThat(unknownRefs[0]).as("samples of undeclared series").isZero();
    assertThat(seriesByRef.size()).as("Prometheus' own series").isGreaterThan(100);
    assertThat(up.size()).isGreaterThanOrEqualTo(3);
    for (int i = 0; i < up.size(); i++) {
      assertThat(up.get(i)[1]).isEqualTo(1.0);
      if (i > 0) {
        assertThat(up.get(i)[0] - up.get(i - 1)[0]).as("scrape interval, ms").isBetween(500.0, 1500.0);
      }
    }
  }
}
