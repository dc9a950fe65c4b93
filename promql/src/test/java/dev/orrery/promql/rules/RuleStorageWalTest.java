package dev.orrery.promql.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orrery.core.block.BlockMeta;
import dev.orrery.core.chunk.SampleIterator;
import dev.orrery.core.chunk.StaleNaN;
import dev.orrery.core.chunk.ValueType;
import dev.orrery.core.histogram.CounterResetHint;
import dev.orrery.core.histogram.FloatHistogram;
import dev.orrery.core.histogram.Span;
import dev.orrery.core.labels.Labels;
import dev.orrery.core.labels.Matcher;
import dev.orrery.core.storage.Querier;
import dev.orrery.core.storage.SeriesSet;
import dev.orrery.core.wal.WalCheckpoint;
import dev.orrery.core.wal.WalSegments;
import dev.orrery.promql.engine.Engine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link RuleStorage#open}: what the ruler recorded survives restarts and crashes through its write-ahead log. */
class RuleStorageWalTest {
  private static final long M = 60_000;
  private static final long T0 = 1_700_000_000_000L / (2 * 60 * M) * (2 * 60 * M);
  private static final Labels A = Labels.of("__name__", "job:up:sum", "job", "api");
  private static final Labels B = Labels.of("__name__", "job:up:sum", "job", "db");

  @TempDir
  Path dir;

  @Test
  void samplesSurviveARestartBitForBit() throws Exception {
    try (RuleStorage storage = RuleStorage.open(dir)) {
      for (int i = 0; i < 300; i++) {
        RuleStorage.Appender app = storage.appender();
        app.add(A, T0 + i * 15_000L, i * 0.5);
        app.add(B, T0 + i * 15_000L, i == 299 ? Double.longBitsToDouble(StaleNaN.BITS) : -i);
        assertThat(app.commit()).isEqualTo(2);
      }
    }
    try (RuleStorage storage = RuleStorage.open(dir)) {
      assertThat(storage.seriesCount()).isEqualTo(2);
      List<long[]> a = samples(storage, A);
      List<long[]> b = samples(storage, B);
      assertThat(a).hasSize(300);
      assertThat(b).hasSize(300);
      assertThat(a.get(17)).containsExactly(T0 + 17 * 15_000L, Double.doubleToRawLongBits(8.5));
      assertThat(b.get(299)[1]).as("stale marker bits").isEqualTo(StaleNaN.BITS);
      assertThat(storage.append(A, T0, 1)).as("still out of order after the restart").isFalse();
      assertThat(storage.append(A, T0 + 300 * 15_000L, 1)).isTrue();
    }
    try (RuleStorage storage = RuleStorage.open(dir)) {
      assertThat(samples(storage, A)).hasSize(301);
    }
  }

  @Test
  void nativeHistogramSamplesSurviveARestartAndAFlush() throws Exception {
    Labels latency = Labels.of("__name__", "job:latency:rate5m", "job", "api");
    try (RuleStorage storage = RuleStorage.open(dir)) {
      for (int i = 0; i < 720; i++) {
        storage.appender().add(latency, T0 + i * 15_000L, histogram(i)).commit();
      }
    }
    try (RuleStorage storage = RuleStorage.open(dir)) {
      assertThat(histogramSums(storage, latency)).hasSize(720).startsWith(0.0, 1.0).endsWith(719.0);
      BlockMeta block = storage.flush(T0 + 2 * 60 * M, Map.of()).orElseThrow();
      assertThat(block.stats().numSamples()).isEqualTo(480);
    }
    try (RuleStorage storage = RuleStorage.open(dir)) {
      // 480 from the block, 240 replayed from the checkpoint.
      assertThat(histogramSums(storage, latency)).hasSize(720).endsWith(719.0);
    }
  }

  @Test
  void aHistogramWhoseSpansDoNotMatchItsBucketsIsRefusedBeforeItIsLogged() throws Exception {
    FloatHistogram malformed = new FloatHistogram(CounterResetHint.GAUGE, 0, 0, 0, 1, 1, new Span[] {new Span(0, 3)},
        new double[] {1}, new Span[0], new double[0], new double[0]);
    try (RuleStorage storage = RuleStorage.open(dir)) {
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> storage.appender().add(A, T0, malformed))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("spans do not match");
      assertThat(storage.seriesCount()).isZero();
    }
  }

  private static FloatHistogram histogram(int i) {
    return new FloatHistogram(CounterResetHint.GAUGE, 1, 0.001, 0, 3 * i, i, new Span[] {new Span(2, 3)},
        new double[] {i, i, i}, new Span[0], new double[0], new double[0]);
  }

  private static List<Double> histogramSums(RuleStorage storage, Labels labels) throws Exception {
    List<Double> out = new ArrayList<>();
    try (Querier q = storage.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
      SeriesSet set = q.select(true, null, Matcher.equal("__name__", labels.metricName()));
      while (set.next()) {
        SampleIterator it = set.at().iterator(null);
        while (it.next() == ValueType.FLOAT_HISTOGRAM) {
          out.add(it.atFloatHistogram().sum());
        }
      }
    }
    return out;
  }

  @Test
  void aRecordingRuleStoresNativeHistogramResults() throws Exception {
    RuleStorage source = new RuleStorage();
    Labels raw = Labels.of("__name__", "latency", "job", "api", "instance", "a");
    for (int i = 0; i < 40; i++) {
      source.appender().add(raw, T0 + i * 15_000L, new FloatHistogram(CounterResetHint.UNKNOWN, 0, 0, 0, 4.0 * i,
          i, new Span[] {new Span(0, 2)}, new double[] {i, 3.0 * i}, new Span[0], new double[0], new double[0]))
          .commit();
    }
    try (RuleStorage storage = RuleStorage.open(dir)) {
      RuleManager manager = RuleManager.builder(Engine.builder().build(), source).storage(storage).build();
      manager.load(RuleFiles.parse("""
          groups:
            - name: g
              rules:
                - record: job:latency:rate1m
                  expr: sum by (job) (rate(latency[1m]))
          """, "rules.yml", Duration.ofMinutes(1)));
      manager.evaluate(T0 + 5 * M);
      assertThat(manager.groups().get(0).rules().get(0).health()).isEqualTo(RuleHealth.OK);
      manager.close();
    }
    try (RuleStorage storage = RuleStorage.open(dir)) {
      try (Querier q = storage.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
        SeriesSet set = q.select(true, null, Matcher.equal("__name__", "job:latency:rate1m"));
        assertThat(set.next()).isTrue();
        SampleIterator it = set.at().iterator(null);
        assertThat(it.next()).isEqualTo(ValueType.FLOAT_HISTOGRAM);
        // 4 observations every 15 s: 4/15 per second.
        assertThat(it.atFloatHistogram().count()).isCloseTo(4.0 / 15, org.assertj.core.data.Offset.offset(1e-9));
      }
    }
  }

  @Test
  void aCrashLosesNothingCommitted() throws Exception {
    RuleStorage crashed = RuleStorage.open(dir);
    for (int i = 0; i < 50; i++) {
      crashed.append(A, T0 + i * 15_000L, i);
    }
    // No close: the process dies here. A new process opens the same directory.
    try (RuleStorage storage = RuleStorage.open(dir)) {
      assertThat(samples(storage, A)).hasSize(50);
    }
  }

  @Test
  void aFlushCheckpointsTheWalAndKeepsTheBlockQueryable() throws Exception {
    long cutoff = T0 + 2 * 60 * M;
    BlockMeta block;
    try (RuleStorage storage = RuleStorage.open(dir)) {
      for (int i = 0; i < 720; i++) {
        storage.append(A, T0 + i * 15_000L, i);
      }
      storage.append(B, T0, 1); // only before the cutoff: the series goes with the flush
      block = storage.flush(cutoff, Map.of()).orElseThrow();
      assertThat(block.stats().numSamples()).isEqualTo(481);
      assertThat(storage.seriesCount()).as("in memory").isEqualTo(1);
      assertThat(samples(storage, A)).as("block and memory").hasSize(720);
      assertThat(samples(storage, B)).hasSize(1);
    }
    Path wal = dir.resolve("wal");
    int checkpoint = WalCheckpoint.last(wal).orElseThrow().index();
    assertThat(WalSegments.list(wal)).isNotEmpty()
        .doesNotContain(java.util.stream.IntStream.rangeClosed(0, checkpoint).toArray());
    try (RuleStorage storage = RuleStorage.open(dir)) {
      assertThat(storage.seriesCount()).as("replayed into memory").isEqualTo(1);
      List<long[]> a = samples(storage, A);
      assertThat(a).as("the block's samples once, then the WAL's").hasSize(720);
      assertThat(a.get(480)[0]).isEqualTo(cutoff);
    }
  }

  @Test
  void blocksPastRetentionLeaveQueriesAtTheFlushAndTheDiskAtTheNext() throws Exception {
    long h = 60 * M;
    try (RuleStorage storage = RuleStorage.open(dir, Duration.ofHours(3))) {
      List<BlockMeta> written = new ArrayList<>();
      for (int window = 0; window < 4; window++) {
        for (long t = T0 + window * 2 * h; t < T0 + (window + 1) * 2 * h; t += M) {
          storage.append(A, t, t);
        }
        written.add(storage.flush(T0 + (window + 1) * 2 * h, Map.of()).orElseThrow());
      }
      // Each flush retires the blocks that ended 3h before it and deletes those it retired last time: at T0 + 6h the
      // first block left the queries, at T0 + 8h the second, and the first was deleted.
      assertThat(samples(storage, A)).hasSize(2 * 120).first().satisfies(s -> assertThat(s[0]).isEqualTo(T0 + 4 * h));
      assertThat(Files.exists(dir.resolve(written.get(0).ulid().toString()))).as("deleted").isFalse();
      assertThat(Files.exists(dir.resolve(written.get(1).ulid().toString()))).as("retired, not yet deleted").isTrue();
      storage.append(A, T0 + 8 * h, 0);
      storage.flush(T0 + 10 * h, Map.of()).orElseThrow();
      assertThat(Files.exists(dir.resolve(written.get(1).ulid().toString()))).as("deleted").isFalse();
      assertThat(Files.exists(dir.resolve(written.get(2).ulid().toString()))).as("retired").isTrue();
      assertThat(samples(storage, A).get(0)[0]).isEqualTo(T0 + 6 * h);
    }
  }

  @Test
  void samplesAlreadyInABlockAreSkippedWhenTheCheckpointDidNotHappen() throws Exception {
    long cutoff = T0 + 60 * M;
    try (RuleStorage storage = RuleStorage.open(dir)) {
      for (int i = 0; i < 480; i++) {
        storage.append(A, T0 + i * 15_000L, i);
      }
    }
    // As if the ruler wrote the block and died before checkpointing: the block is there, the WAL still full.
    RuleStorage copy = new RuleStorage();
    for (int i = 0; i < 480; i++) {
      copy.append(A, T0 + i * 15_000L, i);
    }
    copy.flush(cutoff, dir, Map.of()).orElseThrow();
    try (RuleStorage storage = RuleStorage.open(dir)) {
      // In memory only the samples after the block: flushing them all writes 240, not 480.
      assertThat(storage.flush(T0 + 10 * 60 * M, Map.of()).orElseThrow().stats().numSamples()).isEqualTo(240);
      assertThat(samples(storage, A)).hasSize(480);
    }
  }

  @Test
  void aCorruptWalIsReplayedUpToTheDamageAndRepaired() throws Exception {
    try (RuleStorage storage = RuleStorage.open(dir)) {
      for (int i = 0; i < 3; i++) {
        storage.append(A, T0 + i * 15_000L, i);
      }
    }
    Path segment = WalSegments.path(dir.resolve("wal"), 0);
    byte[] bytes = Files.readAllBytes(segment);
    int last = lastFragment(bytes);
    bytes[last + 7] ^= 1;
    Files.write(segment, bytes);
    try (RuleStorage storage = RuleStorage.open(dir)) {
      assertThat(samples(storage, A)).hasSize(2);
      storage.append(A, T0 + 10 * 15_000L, 10);
    }
    try (RuleStorage storage = RuleStorage.open(dir)) {
      assertThat(samples(storage, A)).extracting(s -> s[0])
          .containsExactly(T0, T0 + 15_000L, T0 + 10 * 15_000L);
    }
  }

  /** Offset of the last fragment in a segment of unfragmented records (the headers chain by their lengths). */
  private static int lastFragment(byte[] segment) {
    int at = 0;
    int last = -1;
    while (at + 7 <= segment.length && segment[at] != 0) {
      last = at;
      at += 7 + (((segment[at + 1] & 0xFF) << 8) | (segment[at + 2] & 0xFF));
    }
    return last;
  }

  @Test
  void aRestartedRulerContinuesAPendingAlertFromItsOwnWal() throws Exception {
    RuleStorage source = new RuleStorage();
    for (long t = T0 - 10 * M; t <= T0 + 20 * M; t += 15_000) {
      source.append(Labels.of("__name__", "up", "job", "api", "instance", "b"), t, 0);
    }
    String rules = """
        groups:
          - name: g
            rules:
              - alert: Down
                expr: up == 0
                for: 15m
        """;
    Engine engine = Engine.builder().build();
    try (RuleStorage storage = RuleStorage.open(dir)) {
      RuleManager manager = RuleManager.builder(engine, source).storage(storage).build();
      manager.load(RuleFiles.parse(rules, "rules.yml", Duration.ofMinutes(1)));
      for (long t = T0; t <= T0 + 5 * M; t += M) {
        manager.evaluate(t);
      }
      manager.close();
    }
    // Down for two minutes; the new ruler finds ALERTS_FOR_STATE in its own storage, not in the source.
    try (RuleStorage storage = RuleStorage.open(dir)) {
      RuleManager manager = RuleManager.builder(engine, source).storage(storage).build();
      manager.load(RuleFiles.parse(rules, "rules.yml", Duration.ofMinutes(1)));
      manager.evaluate(T0 + 7 * M);
      assertThat(manager.alerts()).singleElement()
          .satisfies(a -> assertThat(a.activeAt()).isEqualTo(Instant.ofEpochMilli(T0 + 2 * M)));
      manager.evaluate(T0 + 17 * M);
      assertThat(manager.alerts()).singleElement().satisfies(a -> assertThat(a.state()).isEqualTo(AlertState.FIRING));
      manager.close();
    }
  }

  /** (timestamp, raw value bits) of every sample of the series with exactly {@code labels}. */
  private static List<long[]> samples(RuleStorage storage, Labels labels) throws Exception {
    List<long[]> out = new ArrayList<>();
    try (Querier q = storage.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
      SeriesSet set = q.select(true, null, Matcher.equal("job", labels.get("job")));
      while (set.next()) {
        SampleIterator it = set.at().iterator(null);
        while (it.next() == ValueType.FLOAT) {
          out.add(new long[] {it.atT(), Double.doubleToRawLongBits(it.atV())});
        }
      }
    }
    return out;
  }
}
