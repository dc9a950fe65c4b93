package dev.orrery.examples.cli;

import static dev.orrery.examples.cli.DownsampledGateway.indexAtOrBefore;
import static org.assertj.core.api.Assertions.assertThat;

import dev.orrery.core.labels.Labels;
import dev.orrery.downsample.RawDownsampler;
import dev.orrery.promql.engine.TimeSeries;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A float counter that resets in the middle of a 5m chunk, read through the gateway and the fan-out querier at 5m
 * resolution: {@code rate} and the like read the counter sub-chunks through the counter-reset iterator (FORMATS.md
 * 7.4, 7.5), so PromQL sees one monotonic counter with increasing timestamps (each sub-chunk's raw first value and its
 * duplicate-timestamp raw last value only serve reset detection) and the increase matches the raw data's.
 */
class DownsampledCounterResetsTest {
  private static final Labels SERIES = Labels.of("__name__", "requests_total", "job", "api");
  /** Two days at 60 s: five 5m chunks of about 576 samples. */
  private static final int N = 2_880;
  /** The scrape where the counter restarts from 0, in the middle of the second 5m chunk. */
  private static final int RESET_AT = 900;
  private static final long FOUR_HOURS = 4 * 3_600_000L;

  @TempDir
  Path tmp;
  private final long[] ts = new long[N];
  private final double[] counter = new double[N];
  private DownsampledGateway gateway;

  @BeforeEach
  void setUp() throws Exception {
    long start = 1_700_006_400_000L;
    for (int i = 0; i < N; i++) {
      ts[i] = start + i * 60_000L;
      counter[i] = (i >= RESET_AT ? i - RESET_AT : i) * 2.0 + 1;
    }
    gateway = DownsampledGateway.of(tmp, ts, Map.of(SERIES, counter));
  }

  @AfterEach
  void tearDown() {
    gateway.close();
  }

  @Test
  void rateReadsOneMonotonicCounterAcrossChunksWithAReset() throws Exception {
    long end = ts[N - 1] + 1;

    // The total since the first sample, with the reset added back: the raw value, plus the value before the reset.
    List<double[]> rate = gateway.floats("requests_total", ts[0], end, "rate", RawDownsampler.RESOLUTION_5M);
    assertThat(rate).hasSizeLessThan(N / 4).hasSizeGreaterThan(N / 5);
    assertThat(rate.get(0)).containsExactly(ts[0], counter[0]);
    for (int k = 1; k < rate.size(); k++) {
      double[] s = rate.get(k);
      assertThat(s[0]).as("timestamps increase").isGreaterThan(rate.get(k - 1)[0]);
      int i = indexAtOrBefore(ts, (long) s[0]);
      double adjusted = counter[i] + (i >= RESET_AT ? counter[RESET_AT - 1] : 0);
      assertThat(s[1]).as("counter at %d", (long) s[0]).isEqualTo(adjusted);
    }
    assertThat(rate.get(rate.size() - 1)[0]).isEqualTo(ts[N - 1]);

    // PromQL: the same increases from the 5m data as from the raw data, around the reset and over chunk boundaries.
    long from = ts[0] + FOUR_HOURS;
    String expr = "increase(requests_total[4h])";
    TimeSeries fromFiveMinute =
        gateway.rangeQuery(expr, from, ts[N - 1], FOUR_HOURS, RawDownsampler.RESOLUTION_5M);
    TimeSeries fromRaw = gateway.rangeQuery(expr, from, ts[N - 1], FOUR_HOURS, 0L);
    assertThat(fromFiveMinute.floatTimestamps()).isEqualTo(fromRaw.floatTimestamps()).hasSizeGreaterThan(8);
    for (int k = 0; k < fromRaw.floatValues().length; k++) {
      double r = fromRaw.floatValues()[k];
      assertThat(fromFiveMinute.floatValues()[k]).as("increase at %d", fromRaw.floatTimestamps()[k])
          .isCloseTo(r, Offset.offset(r * 0.01));
    }
  }
}
