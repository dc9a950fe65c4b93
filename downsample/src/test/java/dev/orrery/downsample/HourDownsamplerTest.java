package dev.orrery.downsample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orrery.core.chunk.AggrChunkSlots;
import dev.orrery.core.chunk.Chunk;
import dev.orrery.core.chunk.ChunkEncoding;
import dev.orrery.core.chunk.CorruptChunkException;
import dev.orrery.core.chunk.FloatSamples;
import dev.orrery.core.chunk.XorAppender;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class HourDownsamplerTest {
  private static final long H = HourDownsampler.RESOLUTION_1H;

  @Test
  void hourlyAggregatesEqualThoseOfTheRawSamples() {
    // Eight days at 60 s with jitter (two 1h chunks), whole-number values so that sums are exact in any order.
    SplittableRandom random = new SplittableRandom(11);
    int n = 11_520;
    Scrapes series = Scrapes.of(n, 1_700_000_321_000L, 60_000, 24, random, (i, v) -> random.nextInt(-500, 500));
    long[] ts = series.ts();
    double[] vs = series.vs();

    List<DownsampledChunk> hourly = HourDownsampler.downsample(RawDownsampler.downsample(ts, vs, n));

    TreeMap<Long, double[]> expected = new TreeMap<>();
    for (int i = 0; i < n; i++) {
      double[] e = expected.computeIfAbsent(Math.floorDiv(ts[i], H), h -> new double[] {0, 0, vs[0], vs[0]});
      if (e[0] == 0) {
        e[2] = vs[i];
        e[3] = vs[i];
      }
      e[0]++;
      e[1] += vs[i];
      e[2] = Math.min(e[2], vs[i]);
      e[3] = Math.max(e[3], vs[i]);
    }
    assertThat(hourly).hasSizeGreaterThan(1);
    TreeMap<Long, double[]> actual = new TreeMap<>();
    long previousMax = Long.MIN_VALUE;
    for (DownsampledChunk chunk : hourly) {
      assertThat(chunk.minTime()).isGreaterThan(previousMax).isLessThanOrEqualTo(chunk.maxTime());
      previousMax = chunk.maxTime();
      FloatSamples[] slots = slots(chunk);
      for (int w = 0; w < slots[AggrChunkSlots.COUNT].count; w++) {
        long stamp = slots[AggrChunkSlots.COUNT].ts[w];
        assertThat(stamp).isBetween(chunk.minTime(), chunk.maxTime());
        double[] row = new double[4];
        for (int k = 0; k < 4; k++) {
          assertThat(slots[k].ts[w]).isEqualTo(stamp);
          row[k] = slots[k].values[w];
        }
        // Chunks are cut at 5m chunk boundaries, so an hour may be split between two chunks: merge the parts.
        actual.merge(Math.floorDiv(stamp, H), row, (a, b) -> new double[] {a[0] + b[0], a[1] + b[1],
            Math.min(a[2], b[2]), Math.max(a[3], b[3])});
      }
    }
    assertThat(actual.keySet()).isEqualTo(expected.keySet());
    expected.forEach((hour, e) -> assertThat(actual.get(hour)).as("hour %d", hour).containsExactly(e));
  }

  @Test
  void counterKeepsEveryIncreaseAcrossResetsAndTheRawLastValue() {
    SplittableRandom random = new SplittableRandom(12);
    int n = 11_520;
    // A reset now and then, some of them right at 5m and 1h boundaries.
    Scrapes series = Scrapes.of(n, 1_700_000_000_000L, 60_000, 0, random,
        (i, v) -> random.nextInt(500) == 0 || i % 600 == 0 ? random.nextInt(5) : v + random.nextInt(10));
    long[] ts = series.ts();
    double[] vs = series.vs();
    FloatSamples raw = new FloatSamples();
    for (int i = 0; i < n; i++) {
      raw.add(ts[i], vs[i]);
    }
    FloatSamples rawTotal = new FloatSamples();
    CounterResets.apply(raw, rawTotal);

    List<DownsampledChunk> hourly = HourDownsampler.downsample(RawDownsampler.downsample(ts, vs, n));

    assertThat(hourly).hasSizeGreaterThan(1);
    FloatSamples counters = new FloatSamples();
    for (DownsampledChunk chunk : hourly) {
      FloatSamples c = slots(chunk)[AggrChunkSlots.COUNTER];
      for (int i = 0; i < c.count; i++) {
        counters.add(c.ts[i], c.values[i]);
      }
    }
    FloatSamples total = new FloatSamples();
    double lastRaw = CounterResets.apply(counters, total);
    assertThat(lastRaw).isEqualTo(vs[n - 1]);
    assertThat(total.values[total.count - 1]).isEqualTo(rawTotal.values[rawTotal.count - 1]);
    assertThat(total.ts[0]).isEqualTo(ts[0]);
  }

  @Test
  void counterResetRuleTakesTheDuplicateTimestampAsTheLastRawValue() {
    FloatSamples in = new FloatSamples();
    // Chunk 1: raw first 10, totals 20 and 30, raw last 3 (a reset inside it); chunk 2 starts at raw 5.
    in.add(0, 10);
    in.add(100, 20);
    in.add(200, 30);
    in.add(200, 3);
    in.add(300, 5);
    in.add(250, 99);
    in.add(400, Double.NaN);
    in.add(500, 1);
    FloatSamples out = new FloatSamples();

    double lastRaw = CounterResets.apply(in, out);

    // 10, +10, +10, then 5 - 3 = +2, then a reset to 1: +1.
    assertThat(out.count).isEqualTo(5);
    assertThat(out.values).startsWith(10, 20, 30, 32, 33);
    assertThat(out.ts).startsWith(0, 100, 200, 300, 500);
    assertThat(lastRaw).isEqualTo(1);
  }

  @Test
  void rejectsAggregatesWithoutFloatSlots() {
    XorAppender count = new XorAppender();
    count.append(1000, 1);
    byte[] onlyCount = AggrChunkWriter.encode(new XorAppender[] {count, null, null, null, null});

    assertThatThrownBy(() -> HourDownsampler.downsample(List.of(new DownsampledChunk(1000, 1000, onlyCount))))
        .isInstanceOf(CorruptChunkException.class).hasMessageContaining("not a valid float aggregate chunk")
        .hasMessageContaining("slot 1 is absent");
    assertThat(HourDownsampler.downsample(List.of())).isEmpty();
  }

  private static FloatSamples[] slots(DownsampledChunk chunk) {
    Chunk[] slots = AggrChunkSlots.chunks(ByteBuffer.wrap(chunk.data()), "test", -1);
    FloatSamples[] out = new FloatSamples[AggrChunkSlots.SLOTS];
    for (int k = 0; k < out.length; k++) {
      assertThat(slots[k].encoding()).isEqualTo(ChunkEncoding.XOR);
      out[k] = new FloatSamples();
      slots[k].iterator(null).appendFloats(out[k], Long.MAX_VALUE);
    }
    return out;
  }
}
