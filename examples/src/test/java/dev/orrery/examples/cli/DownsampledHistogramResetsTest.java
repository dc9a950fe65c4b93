package dev.orrery.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orrery.core.block.BlockMeta;
import dev.orrery.core.chunk.Chunk;
import dev.orrery.core.histogram.FloatHistogram;
import dev.orrery.core.labels.Labels;
import dev.orrery.core.testing.NativeHistogramBlocks;
import dev.orrery.downsample.RawDownsampler;
import dev.orrery.promql.engine.TimeSeries;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A native histogram counter that resets in the middle of a 5m chunk, read at 5m through the gateway and the querier:
 * the next chunk's counter goes on from the one before, so {@code rate} sees only the real reset and agrees with the
 * raw data in every hour, the ones around the reset and the chunk boundaries included.
 */
class DownsampledHistogramResetsTest {
  private static final String NAME = "request_duration_seconds";
  /** Two days at 60 s: five 5m chunks. */
  private static final int N = 2_880;
  /** In the middle of the second chunk. */
  private static final int RESET_AT = 900;

  @TempDir
  Path tmp;

  @Test
  void rateAtFiveMinutesMatchesRawAcrossAResetInsideAChunk() throws Exception {
    long start = 1_700_006_400_000L;
    long[] ts = new long[N];
    FloatHistogram[] hs = new FloatHistogram[N];
    for (int i = 0; i < N; i++) {
      ts[i] = start + i * 60_000L;
      int since = i >= RESET_AT ? i - RESET_AT : i;
      hs[i] = NativeHistogramBlocks.counter(since, since, 2.0 * since, 3.0 * since);
    }
    TreeMap<Labels, List<Chunk>> series = new TreeMap<>();
    series.put(Labels.of("__name__", NAME, "job", "api"), NativeHistogramBlocks.chunks(ts, hs, N));
    BlockMeta raw = NativeHistogramBlocks.write(tmp, Map.of("cluster", "eu"), series);
    try (DownsampledGateway gateway = DownsampledGateway.of(tmp, tmp.resolve(raw.ulid().toString()))) {
      String expr = "histogram_count(rate(" + NAME + "[1h]))";
      long from = start + 2 * 3_600_000L;
      long to = ts[N - 1];
      TimeSeries fromFiveMinute = gateway.rangeQuery(expr, from, to, 3_600_000L, RawDownsampler.RESOLUTION_5M);
      TimeSeries fromRaw = gateway.rangeQuery(expr, from, to, 3_600_000L, 0L);
      assertThat(fromFiveMinute.floatTimestamps()).isEqualTo(fromRaw.floatTimestamps()).hasSizeGreaterThan(40);
      for (int k = 0; k < fromRaw.floatValues().length; k++) {
        double r = fromRaw.floatValues()[k];
        // 6 observations a minute: 0.1/s, away from the reset exactly.
        assertThat(fromFiveMinute.floatValues()[k]).as("rate at %d", fromRaw.floatTimestamps()[k])
            .isCloseTo(r, Offset.offset(0.1 * 0.05));
      }
    }
  }
}
