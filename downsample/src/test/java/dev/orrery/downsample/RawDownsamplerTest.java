package dev.orrery.downsample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orrery.core.chunk.AggrChunkSlots;
import dev.orrery.core.chunk.Chunk;
import dev.orrery.core.chunk.ChunkEncoding;
import dev.orrery.core.chunk.SampleIterator;
import dev.orrery.core.chunk.StaleNaN;
import dev.orrery.core.chunk.ValueType;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RawDownsamplerTest {
  private static final long R = RawDownsampler.RESOLUTION_5M;

  @Test
  void workedExampleIsByteIdenticalToThanos() {
    // FORMATS.md 7.1: (1000, 1), (61000, 2), (121000, 4) at 5m.
    List<DownsampledChunk> out = RawDownsampler.downsample(new long[] {1000, 61000, 121000}, new double[] {1, 2, 4}, 3);

    assertThat(out).hasSize(1);
    assertThat(out.get(0).minTime()).isEqualTo(121000);
    assertThat(out.get(0).maxTime()).isEqualTo(121000);
    assertThat(HexFormat.of().formatHex(out.get(0).data())).isEqualTo(""
        + "0d01" + "0001d0e20e4008000000000000"
        + "0d01" + "0001d0e20e401c000000000000"
        + "0d01" + "0001d0e20e3ff0000000000000"
        + "0d01" + "0001d0e20e4010000000000000"
        + "1501" + "0003d00f3ff0000000000000c0a907c257ffdc5680");
  }

  @Test
  void everyWindowAggregatesItsRawSamplesAndNoWindowSpansTwoChunks() {
    // Two days at 15 s with jitter: several chunks of whole windows.
    SplittableRandom random = new SplittableRandom(7);
    int count = 11_520;
    Scrapes series = Scrapes.of(count, 1_700_000_123_000L, 15_000, 24, random,
        (i, v) -> Math.round(random.nextDouble() * 1000) / 10.0);
    long[] ts = series.ts();
    double[] vs = series.vs();

    List<DownsampledChunk> out = RawDownsampler.downsample(ts, vs, count);

    assertThat(out).hasSizeGreaterThan(1);
    int next = 0;
    long previousMax = Long.MIN_VALUE;
    for (DownsampledChunk chunk : out) {
      assertThat(chunk.minTime()).isGreaterThan(previousMax);
      previousMax = chunk.maxTime();
      List<long[]> count0 = samples(slot(chunk, AggrChunkSlots.COUNT));
      List<long[]> sum = samples(slot(chunk, AggrChunkSlots.SUM));
      List<long[]> min = samples(slot(chunk, AggrChunkSlots.MIN));
      List<long[]> max = samples(slot(chunk, AggrChunkSlots.MAX));
      assertThat(count0).hasSize(sum.size()).hasSize(min.size()).hasSize(max.size());
      assertThat(count0.get(0)[0]).isEqualTo(chunk.minTime());
      assertThat(count0.get(count0.size() - 1)[0]).isEqualTo(chunk.maxTime());
      for (int w = 0; w < count0.size(); w++) {
        // Recompute the window from the raw samples it covers.
        long windowStart = ts[next] - Math.floorMod(ts[next], R);
        double expectedSum = 0;
        double expectedMin = Double.MAX_VALUE;
        double expectedMax = -Double.MAX_VALUE;
        int n = 0;
        while (next < count && ts[next] < windowStart + R) {
          expectedSum += vs[next];
          expectedMin = Math.min(expectedMin, vs[next]);
          expectedMax = Math.max(expectedMax, vs[next]);
          next++;
          n++;
        }
        // A window is stamped with its last millisecond, the chunk's last window with its last raw sample's time.
        long stamp = w == count0.size() - 1 ? ts[next - 1] : windowStart + R - 1;
        assertThat(count0.get(w)[0]).isEqualTo(stamp);
        assertThat(Double.longBitsToDouble(count0.get(w)[1])).isEqualTo(n);
        assertThat(Double.longBitsToDouble(sum.get(w)[1])).isEqualTo(expectedSum);
        assertThat(Double.longBitsToDouble(min.get(w)[1])).isEqualTo(expectedMin);
        assertThat(Double.longBitsToDouble(max.get(w)[1])).isEqualTo(expectedMax);
      }
    }
    assertThat(next).as("every raw sample in exactly one window").isEqualTo(count);
  }

  @Test
  void counterSlotKeepsRawFirstAndLastAndAddsResets() {
    long[] ts = {0, 60_000, 120_000, 400_000, 460_000};
    double[] vs = {10, 20, 5, 15, 17};

    List<DownsampledChunk> out = RawDownsampler.downsample(ts, vs, ts.length);

    assertThat(out).hasSize(1);
    // Raw first, the running total at each window (10, +10, reset +5 = 25; +10, +2 = 37), raw last at the last window.
    assertThat(samples(slot(out.get(0), AggrChunkSlots.COUNTER))).containsExactly(
        sample(0, 10), sample(299_999, 25), sample(460_000, 37), sample(460_000, 17));
    assertThat(samples(slot(out.get(0), AggrChunkSlots.COUNT))).containsExactly(
        sample(299_999, 3), sample(460_000, 2));
  }

  @Test
  void staleMarkersAreDroppedBeforeBatching() {
    double stale = Double.longBitsToDouble(StaleNaN.BITS);
    long[] ts = {1000, 2000, 3000, 4000};
    double[] vs = {1, stale, 3, stale};

    DownsampledChunk only = RawDownsampler.downsample(ts, vs, 4).get(0);

    // The last window is stamped at the last sample kept, and the counter's raw last value is 3, not the marker.
    assertThat(samples(slot(only, AggrChunkSlots.COUNT))).containsExactly(sample(3000, 2));
    assertThat(samples(slot(only, AggrChunkSlots.COUNTER))).containsExactly(
        sample(1000, 1), sample(3000, 3), sample(3000, 3));
    assertThat(RawDownsampler.downsample(new long[] {1000}, new double[] {stale}, 1)).isEmpty();
  }

  @Test
  void nanValuesAreLeftOutOfEveryAggregate() {
    long[] ts = {1000, 2000, 3000};
    double[] vs = {1, Double.NaN, 3};

    DownsampledChunk only = RawDownsampler.downsample(ts, vs, 3).get(0);

    assertThat(samples(slot(only, AggrChunkSlots.COUNT))).containsExactly(sample(3000, 2));
    assertThat(samples(slot(only, AggrChunkSlots.SUM))).containsExactly(sample(3000, 4));
    assertThat(RawDownsampler.downsample(new long[] {1000}, new double[] {Double.NaN}, 1)).isEmpty();
    assertThat(RawDownsampler.downsample(new long[0], new double[0], 0)).isEmpty();
  }

  @Test
  void chunkCountFollowsThanos() {
    // 48 h of one sample a minute: 576 expected windows, at most 140 a chunk -> 5 chunks.
    assertThat(RawDownsampler.targetChunkCount(0, 48 * 3_600_000L, 60_000, R, 2_880)).isEqualTo(5);
    // Half full: 288 windows -> 3 chunks.
    assertThat(RawDownsampler.targetChunkCount(0, 48 * 3_600_000L, 60_000, R, 1_440)).isEqualTo(3);
    // One timestamp counts as full.
    assertThat(RawDownsampler.targetChunkCount(5, 5, 60_000, R, 1)).isEqualTo(1);
    assertThat(WindowLoop.windowEnd(0, R)).isEqualTo(299_999);
    assertThat(WindowLoop.windowEnd(300_000, R)).isEqualTo(599_999);
  }

  @Test
  void rejectsCountsBeyondTheArrays() {
    assertThatThrownBy(() -> RawDownsampler.downsample(new long[2], new double[1], 2))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2 samples");
  }

  private static long[] sample(long t, double v) {
    return new long[] {t, Double.doubleToRawLongBits(v)};
  }

  /** Slot {@code k} of an AggrChunk, which must be a present XOR sub-chunk. */
  private static Chunk slot(DownsampledChunk chunk, int k) {
    Chunk slot = AggrChunkSlots.chunks(ByteBuffer.wrap(chunk.data()), "test", -1)[k];
    assertThat(slot.encoding()).isEqualTo(ChunkEncoding.XOR);
    return slot;
  }

  private static List<long[]> samples(Chunk chunk) {
    List<long[]> out = new ArrayList<>();
    SampleIterator it = chunk.iterator(null);
    while (it.next() == ValueType.FLOAT) {
      out.add(new long[] {it.atT(), Double.doubleToRawLongBits(it.atV())});
    }
    return out;
  }
}
