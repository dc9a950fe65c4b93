package dev.orrery.examples.cli;

import static dev.orrery.examples.cli.DownsampledGateway.indexAtOrBefore;
import static dev.orrery.examples.cli.DownsampledGateway.samples;
import static dev.orrery.examples.cli.DownsampledGateway.slot;
import static dev.orrery.examples.cli.DownsampledGateway.window;
import static dev.orrery.examples.cli.DownsampledGateway.wire;
import static org.assertj.core.api.Assertions.assertThat;

import dev.orrery.core.chunk.AggrChunkSlots;
import dev.orrery.core.labels.Labels;
import dev.orrery.downsample.BlockDownsampler;
import dev.orrery.downsample.DownsampledChunk;
import dev.orrery.downsample.RawDownsampler;
import dev.orrery.storeapi.proto.thanos.Aggr;
import dev.orrery.storeapi.proto.thanos.AggrChunk;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.DoubleStream;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A raw block and its 5m copy from {@link BlockDownsampler} in one bucket, served by the store gateway: a request that
 * allows 5m resolution gets the aggregate chunks of the 5m block, with the sub-chunks it asks for; one that does not
 * gets the raw chunks. Through the fan-out querier, each function reads the aggregate it needs (FORMATS.md 7.5).
 */
class DownsampledBlocksGatewayTest {
  private static final Labels SERIES = Labels.of("__name__", "requests_total", "job", "api");

  private static final Labels GAUGE = Labels.of("__name__", "temperature", "job", "api");
  private static final int N = 2_880;

  @TempDir
  Path tmp;
  private final long[] ts = new long[N];
  private final double[] counter = new double[N];
  private final double[] temperature = new double[N];
  private DownsampledGateway gateway;

  /** A counter and a gauge over two days at 60 s: a raw block and its 5m copy in one bucket behind one gateway. */
  @BeforeEach
  void setUp() throws Exception {
    long start = 1_700_000_000_000L;
    for (int i = 0; i < N; i++) {
      ts[i] = start + i * 60_000L;
      counter[i] = i * 2.0;
      temperature[i] = (i * 7) % 23;
    }
    gateway = DownsampledGateway.of(tmp, ts, Map.of(SERIES, counter, GAUGE, temperature));
  }

  @AfterEach
  void tearDown() {
    gateway.close();
  }

  @Test
  void gatewayServesAggregatesOfDownsampledBlocks() {
    List<DownsampledChunk> expected = RawDownsampler.downsample(ts, counter, N);

    List<AggrChunk> aggregated =
        gateway.chunks("requests_total", RawDownsampler.RESOLUTION_5M, Aggr.COUNT, Aggr.SUM);
    assertThat(aggregated).hasSize(expected.size());
    for (int i = 0; i < expected.size(); i++) {
      AggrChunk got = aggregated.get(i);
      assertThat(got.hasRaw()).isFalse();
      assertThat(got.getMinTime()).isEqualTo(expected.get(i).minTime());
      assertThat(got.getMaxTime()).isEqualTo(expected.get(i).maxTime());
      assertThat(samples(wire(got.getCount()))).isEqualTo(samples(slot(expected.get(i), AggrChunkSlots.COUNT)));
      assertThat(samples(wire(got.getSum()))).isEqualTo(samples(slot(expected.get(i), AggrChunkSlots.SUM)));
    }

    List<AggrChunk> rawChunks = gateway.chunks("requests_total", 0, Aggr.RAW);
    assertThat(rawChunks).isNotEmpty().allSatisfy(c -> assertThat(c.hasRaw()).isTrue());
    assertThat(rawChunks.stream().mapToInt(c -> wire(c.getRaw()).numSamples()).sum()).isEqualTo(N);
  }

  @Test
  void querierReadsTheAggregateEachFunctionNeeds() throws Exception {
    // rate and the like read the counter sub-chunks: with no reset, the running total is the raw value.
    List<double[]> rate = select(SERIES, "rate", RawDownsampler.RESOLUTION_5M);
    assertThat(rate).hasSizeLessThan(N / 4).isNotEmpty();
    for (double[] s : rate) {
      assertThat(s[1]).as("counter at %d", (long) s[0]).isEqualTo(counter[indexAtOrBefore(ts, (long) s[0])]);
    }
    // max_over_time reads max, anything else the average of a window (sum / count).
    List<double[]> max = select(GAUGE, "max_over_time", RawDownsampler.RESOLUTION_5M);
    assertThat(max).isNotEmpty();
    for (double[] s : max) {
      assertThat(s[1]).isEqualTo(windowOf(temperature, (long) s[0]).max().orElseThrow());
    }
    List<double[]> avg = select(GAUGE, "", RawDownsampler.RESOLUTION_5M);
    assertThat(avg).hasSizeLessThan(N / 4).isNotEmpty();
    for (double[] s : avg) {
      assertThat(s[1]).isCloseTo(windowOf(temperature, (long) s[0]).average().orElseThrow(),
          Offset.offset(1e-9));
    }
    // Raw resolution only: every raw sample.
    assertThat(select(SERIES, "rate", 0)).hasSize(N);
  }

  /** Samples of one series selected through the querier over the whole block, as (t, v) pairs. */
  private List<double[]> select(Labels series, String function, long maxResolution) throws Exception {
    return gateway.floats(series.get("__name__"), ts[0], ts[N - 1] + 1, function, maxResolution);
  }

  /** The raw values of the 5m window that the stamp {@code t} closes. */
  private DoubleStream windowOf(double[] vs, long t) {
    return Arrays.stream(window(ts, t)).mapToDouble(i -> vs[i]);
  }
}
