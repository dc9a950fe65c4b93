package dev.orrery.examples.cli;

import static dev.orrery.examples.cli.DownsampledGateway.describe;
import static dev.orrery.examples.cli.DownsampledGateway.indexAtOrBefore;
import static dev.orrery.examples.cli.DownsampledGateway.samples;
import static dev.orrery.examples.cli.DownsampledGateway.slot;
import static dev.orrery.examples.cli.DownsampledGateway.window;
import static dev.orrery.examples.cli.DownsampledGateway.wire;
import static org.assertj.core.api.Assertions.assertThat;

import dev.orrery.core.block.BlockMeta;
import dev.orrery.core.chunk.AggrChunkSlots;
import dev.orrery.core.chunk.Chunk;
import dev.orrery.core.chunk.SampleIterator;
import dev.orrery.core.chunk.ValueType;
import dev.orrery.core.histogram.Buckets;
import dev.orrery.core.histogram.CounterResetHint;
import dev.orrery.core.histogram.FloatHistogram;
import dev.orrery.core.labels.Labels;
import dev.orrery.core.testing.NativeHistogramBlocks;
import dev.orrery.downsample.BlockDownsampler;
import dev.orrery.downsample.DownsampledChunk;
import dev.orrery.downsample.RawDownsampler;
import dev.orrery.promql.engine.TimeSeries;
import dev.orrery.storeapi.proto.thanos.Aggr;
import dev.orrery.storeapi.proto.thanos.AggrChunk;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A raw block with a native histogram counter series and its 5m copy from {@link BlockDownsampler} in one bucket,
 * served by the store gateway: a request that allows 5m resolution gets the aggregate chunks of the 5m block (count as
 * XOR, sum and counter as float histogram chunks), one that does not gets the raw float histogram chunks. Through the
 * fan-out querier, {@code rate} reads the counter histograms and the default the window's average histogram
 * (FORMATS.md 7.5); PromQL over either resolution gives close rates.
 */
class DownsampledHistogramsGatewayTest {
  private static final String NAME = "http_request_duration_seconds";
  private static final Labels SERIES = Labels.of("__name__", NAME, "job", "api");
  /** A 2h boundary, so 5m windows are aligned with the scrapes. */
  private static final long T0 = 1_700_006_400_000L;
  private static final long STEP = 15_000;
  /** 24 hours at 15 s. */
  private static final int N = 5_760;
  /** The scrape from which the fourth bucket exists. */
  private static final int NEW_BUCKET_AT = 1_000;
  private static final int BUCKETS = 4;
  private static final long FIVE_MINUTES = RawDownsampler.RESOLUTION_5M;

  @TempDir
  Path tmp;
  private final long[] ts = new long[N];
  private final FloatHistogram[] hs = new FloatHistogram[N];
  private DownsampledGateway gateway;

  /** Bucket {@code j} of the counter at scrape {@code i}: every bucket grows each scrape, the last from NEW_BUCKET_AT. */
  private static double bucket(int i, int j) {
    if (j == BUCKETS - 1) {
      return i < NEW_BUCKET_AT ? 0 : (i - NEW_BUCKET_AT + 1) * 0.5;
    }
    return (i + 1) * (j + 1);
  }

  private static FloatHistogram counterAt(int i) {
    double[] b = new double[i < NEW_BUCKET_AT ? BUCKETS - 1 : BUCKETS];
    for (int j = 0; j < b.length; j++) {
      b[j] = bucket(i, j);
    }
    return NativeHistogramBlocks.counter(i * 0.25 + 1, b);
  }

  /** The histogram counter over a day at 15 s: a raw block and its 5m copy in one bucket behind one gateway. */
  @BeforeEach
  void setUp() throws Exception {
    for (int i = 0; i < N; i++) {
      ts[i] = T0 + i * STEP;
      hs[i] = counterAt(i);
    }
    TreeMap<Labels, List<Chunk>> series = new TreeMap<>();
    series.put(SERIES, NativeHistogramBlocks.chunks(ts, hs, N));
    BlockMeta raw = NativeHistogramBlocks.write(tmp, Map.of("cluster", "eu"), series);
    gateway = DownsampledGateway.of(tmp, tmp.resolve(raw.ulid().toString()));
  }

  @AfterEach
  void tearDown() {
    gateway.close();
  }

  @Test
  void gatewayServesHistogramAggregatesOfDownsampledBlocks() {
    List<DownsampledChunk> expected = RawDownsampler.downsampleHistograms(ts, hs, N);
    assertThat(expected).hasSizeGreaterThan(1);

    // The default pair: count (XOR) and sum (float histogram), nothing else.
    List<AggrChunk> averages = gateway.chunks(NAME, FIVE_MINUTES, Aggr.COUNT, Aggr.SUM);
    assertThat(averages).hasSize(expected.size());
    int windows = 0;
    for (int i = 0; i < expected.size(); i++) {
      AggrChunk got = averages.get(i);
      assertThat(got.hasRaw()).isFalse();
      assertThat(got.hasCounter()).isFalse();
      assertThat(got.hasMin()).isFalse();
      assertThat(got.hasMax()).isFalse();
      assertThat(got.getMinTime()).isEqualTo(expected.get(i).minTime());
      assertThat(got.getMaxTime()).isEqualTo(expected.get(i).maxTime());
      assertThat(got.getCount().getType()).isEqualTo(dev.orrery.storeapi.proto.thanos.Chunk.Encoding.XOR);
      assertThat(got.getSum().getType())
          .isEqualTo(dev.orrery.storeapi.proto.thanos.Chunk.Encoding.FLOAT_HISTOGRAM);
      assertThat(samples(wire(got.getCount()))).isEqualTo(samples(slot(expected.get(i), AggrChunkSlots.COUNT)));
      assertThat(samples(wire(got.getSum()))).isEqualTo(samples(slot(expected.get(i), AggrChunkSlots.SUM)));
      windows += wire(got.getCount()).numSamples();
    }
    assertThat(windows).as("one sample per 5m window").isEqualTo(N / 20);

    // The counter alone, for rate and the like.
    List<AggrChunk> counters = gateway.chunks(NAME, FIVE_MINUTES, Aggr.COUNTER);
    assertThat(counters).hasSize(expected.size());
    for (int i = 0; i < expected.size(); i++) {
      AggrChunk got = counters.get(i);
      assertThat(got.hasRaw() || got.hasCount() || got.hasSum()).isFalse();
      assertThat(got.getCounter().getType())
          .isEqualTo(dev.orrery.storeapi.proto.thanos.Chunk.Encoding.FLOAT_HISTOGRAM);
      assertThat(samples(wire(got.getCounter())))
          .isEqualTo(samples(slot(expected.get(i), AggrChunkSlots.COUNTER)));
    }

    // Min and max do not exist for histograms: who asks for them gets the count and sum pair instead.
    for (Aggr minOrMax : new Aggr[] {Aggr.MIN, Aggr.MAX}) {
      List<AggrChunk> instead = gateway.chunks(NAME, FIVE_MINUTES, minOrMax);
      assertThat(instead).as("%s", minOrMax).hasSize(expected.size()).allSatisfy(c -> {
        assertThat(c.hasMin() || c.hasMax() || c.hasCounter() || c.hasRaw()).isFalse();
        assertThat(c.hasCount() && c.hasSum()).isTrue();
      });
    }

    // Raw resolution only: the raw float histogram chunks, every raw sample.
    List<AggrChunk> rawChunks = gateway.chunks(NAME, 0, Aggr.RAW);
    assertThat(rawChunks).isNotEmpty().allSatisfy(c -> {
      assertThat(c.hasRaw()).isTrue();
      assertThat(c.getRaw().getType()).isEqualTo(dev.orrery.storeapi.proto.thanos.Chunk.Encoding.FLOAT_HISTOGRAM);
    });
    StringBuilder rawSamples = new StringBuilder();
    for (AggrChunk c : rawChunks) {
      rawSamples.append(samples(wire(c.getRaw())));
    }
    StringBuilder want = new StringBuilder();
    for (int i = 0; i < N; i++) {
      want.append(ts[i]).append('=').append(describe(hs[i])).append('\n');
    }
    assertThat(rawSamples.toString()).isEqualTo(want.toString());
  }

  @Test
  void querierReadsTheHistogramAggregateEachFunctionNeeds() throws Exception {
    long end = ts[N - 1] + 1;

    // rate reads the counter sub-chunks: with no reset, the counter at a window's stamp is the raw histogram there.
    List<Point> rate = select(ts[0], end, "rate", FIVE_MINUTES);
    assertThat(rate).hasSize(N / 20);
    for (Point p : rate) {
      int i = indexAtOrBefore(ts, p.t);
      // A window is stamped at its last millisecond, the last of a chunk at its last raw sample (FORMATS.md 7.2).
      assertThat(p.t).as("window stamp").isIn(ts[i], ts[i] - Math.floorMod(ts[i], FIVE_MINUTES) + FIVE_MINUTES - 1);
      assertThat(p.h.counterResetHint()).isNotEqualTo(CounterResetHint.GAUGE);
      assertThat(p.h.count()).as("counter count at %d", p.t).isEqualTo(hs[i].count());
      assertThat(p.h.sum()).as("counter sum at %d", p.t).isEqualTo(hs[i].sum());
      for (int j = 0; j < BUCKETS; j++) {
        assertThat(countAt(p.h, j)).as("counter bucket %d at %d", j, p.t).isEqualTo(bucket(i, j));
      }
    }

    // The default (a plain selector, avg_over_time, ...): the average histogram of each window, sum / count.
    for (String function : new String[] {"", "avg_over_time"}) {
      List<Point> avg = select(ts[0], end, function, FIVE_MINUTES);
      assertThat(avg).as(function).hasSizeLessThan(N / 4).hasSize(N / 20);
      for (Point p : avg) {
        int[] window = window(ts, p.t);
        assertThat(window).as("window ending %d", p.t).hasSize(20);
        assertThat(p.h.count()).as("average count at %d", p.t)
            .isCloseTo(mean(window, h -> h.count()), Offset.offset(1e-9));
        assertThat(p.h.sum()).as("average sum at %d", p.t)
            .isCloseTo(mean(window, h -> h.sum()), Offset.offset(1e-9));
        for (int j = 0; j < BUCKETS; j++) {
          int bucket = j;
          double wantBucket = Arrays.stream(window).mapToDouble(i -> bucket(i, bucket)).average().orElseThrow();
          assertThat(countAt(p.h, j)).as("average bucket %d at %d", j, p.t)
              .isCloseTo(wantBucket, Offset.offset(1e-9));
        }
      }
    }

    // max_over_time of a histogram series reads the averages (PromQL then ignores histograms there, as it does raw
    // ones), rather than failing the query.
    assertThat(select(ts[0], end, "max_over_time", FIVE_MINUTES)).hasSize(N / 20);
    assertThat(gateway.rangeQuerySeries("max_over_time(" + NAME + "[1h])", T0 + 3_600_000L, ts[N - 1], 3_600_000L,
        FIVE_MINUTES)).isEmpty();

    // Raw resolution only: every raw histogram as it is.
    List<Point> raw = select(ts[0], end, "rate", 0);
    assertThat(raw).hasSize(N);
    for (int i = 0; i < N; i++) {
      assertThat(raw.get(i).t).isEqualTo(ts[i]);
      assertThat(describe(raw.get(i).h)).isEqualTo(describe(hs[i]));
    }

    // PromQL over either resolution: the rate of observations is the same (every bucket grows linearly).
    long from = T0 + 2 * 3_600_000L;
    long to = ts[N - 1];
    String expr = "histogram_count(rate(" + NAME + "[1h]))";
    TimeSeries fromFiveMinute = gateway.rangeQuery(expr, from, to, 3_600_000L, FIVE_MINUTES);
    TimeSeries fromRaw = gateway.rangeQuery(expr, from, to, 3_600_000L, 0L);
    assertThat(fromFiveMinute.floatTimestamps()).isEqualTo(fromRaw.floatTimestamps());
    assertThat(fromRaw.floatValues()).hasSizeGreaterThan(20);
    for (int k = 0; k < fromRaw.floatValues().length; k++) {
      double r = fromRaw.floatValues()[k];
      assertThat(r).isPositive();
      assertThat(fromFiveMinute.floatValues()[k]).as("rate at %d", fromRaw.floatTimestamps()[k])
          .isCloseTo(r, Offset.offset(r * 0.02));
    }
    // Away from the new bucket, both are the exact slope: 1 + 2 + 3 + 0.5 observations per 15 s.
    int last = fromRaw.floatValues().length - 1;
    assertThat(fromRaw.floatValues()[last]).isCloseTo(6.5 / 15, Offset.offset(1e-9));
    assertThat(fromFiveMinute.floatValues()[last]).isCloseTo(6.5 / 15, Offset.offset(1e-9));
  }

  private record Point(long t, FloatHistogram h) {}

  /** The histogram samples of the series selected through the querier. */
  private List<Point> select(long start, long end, String function, long maxResolution) throws Exception {
    return gateway.select(NAME, start, end, function, maxResolution, series -> {
      assertThat(series.labels().get("job")).isEqualTo("api");
      List<Point> out = new ArrayList<>();
      SampleIterator it = series.iterator(null);
      ValueType type;
      while ((type = it.next()) != ValueType.NONE) {
        assertThat(type).isEqualTo(ValueType.FLOAT_HISTOGRAM);
        out.add(new Point(it.atT(), it.atFloatHistogram()));
      }
      return out;
    });
  }

  private double mean(int[] indexes, ToDoubleFunction<FloatHistogram> f) {
    return Arrays.stream(indexes).mapToDouble(i -> f.applyAsDouble(hs[i])).average().orElseThrow();
  }

  private static double countAt(FloatHistogram h, int index) {
    assertThat(h.schema()).isZero();
    assertThat(h.negativeBuckets()).isEmpty();
    return Buckets.of(h.positiveSpans(), h.positiveBuckets()).countAt(index);
  }
}
