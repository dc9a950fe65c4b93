package dev.orrery.core.chunk;

import static dev.orrery.core.chunk.HistogramChunkTest.describe;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orrery.core.histogram.CounterResetHint;
import dev.orrery.core.histogram.FloatHistogram;
import dev.orrery.core.histogram.Histogram;
import dev.orrery.core.histogram.Span;
import dev.orrery.core.io.CorruptDataException;
import dev.orrery.core.testing.Generators;
import dev.orrery.core.testing.Properties;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Round trips and corruption behaviour of the histogram encodings (2, 3, 5, 6) over random layouts and samples. */
class HistogramChunkPropertiesTest {

  /** A generated chunk's input: samples with their times and start timestamps. */
  record Series(boolean gauge, long[] times, long[] starts, List<Histogram> samples) {
    @Override
    public String toString() {
      return (gauge ? "gauge " : "counter ") + samples.size() + " samples";
    }
  }

  /**
   * A random layout and a consistent series of 1 to 150 samples built together from one seed. Times jump backwards
   * now and then unless {@code increasingTimes}.
   */
  private static Series series(SplittableRandom random, boolean increasingTimes) {
    return build(new Random(random.nextLong()), Generators.size(random, 1, 150), increasingTimes);
  }

  private static Series build(Random random, int size, boolean increasingTimes) {
    boolean gauge = random.nextInt(4) == 0;
    boolean custom = random.nextInt(5) == 0;
    int schema = custom ? Histogram.CUSTOM_BUCKETS_SCHEMA : random.nextInt(13) - 4;
    double[] thresholds = {0, Math.scalb(1.0, -128), 0.001, Math.scalb(1.0, 10), Math.scalb(1.0, 11), 1e-300};
    double zt = thresholds[random.nextInt(thresholds.length)];
    Span[] positive = randomSpans(random);
    Span[] negative = custom ? new Span[0] : randomSpans(random);
    double[] bounds = new double[0];
    if (custom) {
      bounds = new double[random.nextInt(6)];
      double b = random.nextInt(3) == 0 ? -1.5 : 0;
      for (int i = 0; i < bounds.length; i++) {
        b += random.nextBoolean() ? random.nextInt(5000) / 1000.0 + 0.001 : random.nextDouble() * 1e6;
        bounds[i] = b;
      }
    }
    int p = count(positive);
    int n = count(negative);
    long[] absolute = new long[p + n];
    long count = random.nextInt(100);
    long zeroCount = random.nextInt(10);
    double sum = random.nextInt(1000) / 4.0;
    long t = random.nextLong() >> random.nextInt(40);
    long start = random.nextBoolean() ? 0 : t - random.nextInt(100_000);
    int staleFrom = random.nextInt(6) == 0 ? random.nextInt(size) : size;
    List<Histogram> samples = new ArrayList<>();
    long[] times = new long[size];
    long[] starts = new long[size];
    for (int i = 0; i < size; i++) {
      times[i] = t;
      starts[i] = start;
      if (random.nextInt(8) == 0) {
        t += increasingTimes ? 1 + random.nextInt(Integer.MAX_VALUE) : random.nextInt();
      } else {
        t += 15_000 + random.nextInt(25);
      }
      if (random.nextInt(20) == 0) {
        start = random.nextInt(3) == 0 ? 0 : start + random.nextInt(1000);
      }
      CounterResetHint hint = gauge ? CounterResetHint.GAUGE
          : i == 0 ? CounterResetHint.values()[random.nextInt(3)] : CounterResetHint.NOT_COUNTER_RESET;
      if (i >= staleFrom) {
        samples.add(new Histogram(hint, 0, 0, 0, 0, HistogramChunkTest.STALE, new Span[0], new long[0], new Span[0],
            new long[0], new double[0]));
        continue;
      }
      samples.add(new Histogram(hint, schema, zt, zeroCount, count, sum, positive, deltas(absolute, 0, p), negative,
          deltas(absolute, p, n), bounds));
      // Counters only go up; gauges wander.
      for (int j = 0; j < absolute.length; j++) {
        absolute[j] += gauge ? random.nextInt(21) - 10 : random.nextInt(4) == 0 ? random.nextInt(1 << 20) : 0;
      }
      count += gauge ? random.nextInt(21) - 10 : random.nextInt(50);
      zeroCount += gauge ? random.nextInt(5) - 2 : random.nextInt(3);
      sum += random.nextInt(8) == 0 ? Double.longBitsToDouble(random.nextLong()) : random.nextInt(100) / 8.0;
    }
    return new Series(gauge, times, starts, samples);
  }

  private static Span[] randomSpans(Random random) {
    Span[] spans = new Span[random.nextInt(4)];
    for (int i = 0; i < spans.length; i++) {
      spans[i] = new Span(i == 0 ? random.nextInt(41) - 20 : random.nextInt(5), random.nextInt(5));
    }
    return spans;
  }

  private static int count(Span[] spans) {
    int n = 0;
    for (Span s : spans) {
      n += s.length();
    }
    return n;
  }

  private static long[] deltas(long[] absolute, int from, int n) {
    long[] out = new long[n];
    long previous = 0;
    for (int i = 0; i < n; i++) {
      out[i] = absolute[from + i] - previous;
      previous = absolute[from + i];
    }
    return out;
  }

  private static CounterResetHint expectedHint(CounterResetHint header, int index, boolean stale) {
    return stale ? CounterResetHint.UNKNOWN : CounterResetHeader.sampleHint(header, index);
  }

  private static Chunk encode(Series s, boolean startTimestamps) {
    HistogramAppender a = new HistogramAppender(WriterCompatibility.PROMETHEUS_3, startTimestamps);
    for (int i = 0; i < s.samples().size(); i++) {
      assertThat(a.append(s.starts()[i], s.times()[i], s.samples().get(i))).as("sample %s fits", i).isTrue();
    }
    Chunk chunk = a.toChunk();
    assertThat(chunk.numSamples()).isEqualTo(s.samples().size());
    return chunk;
  }

  private static Chunk encodeFloat(Series s, boolean startTimestamps) {
    FloatHistogramAppender a = new FloatHistogramAppender(WriterCompatibility.PROMETHEUS_3, startTimestamps);
    for (int i = 0; i < s.samples().size(); i++) {
      assertThat(a.append(s.starts()[i], s.times()[i], s.samples().get(i).toFloat())).as("sample %s fits", i)
          .isTrue();
    }
    return a.toChunk();
  }

  @Test
  void integerHistogramsRoundTrip() {
    Properties.check("integerHistogramsRoundTrip", 300, random -> {
      Series s = series(random, false);
      boolean startTimestamps = random.nextBoolean();
      Chunk chunk = encode(s, startTimestamps);
      CounterResetHint header = s.samples().get(0).counterResetHint();
      SampleIterator it = chunk.iterator(null);
      for (int i = 0; i < s.samples().size(); i++) {
        assertThat(it.next()).isEqualTo(ValueType.HISTOGRAM);
        Histogram in = s.samples().get(i);
        boolean stale = Double.doubleToRawLongBits(in.sum()) == ChunkTestSupport.STALE_NAN;
        Histogram expected = new Histogram(expectedHint(header, i, stale), in.schema(), in.zeroThreshold(),
            in.zeroCount(), in.count(), in.sum(), in.positiveSpans(), in.positiveBucketDeltas(), in.negativeSpans(),
            in.negativeBucketDeltas(), in.customValues());
        assertThat(it.atT()).isEqualTo(s.times()[i]);
        assertThat(describe(it.atHistogram())).as("sample %s", i).isEqualTo(describe(expected));
        assertThat(describe(it.atFloatHistogram())).isEqualTo(describe(expected.toFloat()));
        assertThat(it.atST()).isEqualTo(startTimestamps ? s.starts()[i] : 0);
      }
      assertThat(it.next()).isEqualTo(ValueType.NONE);
    });
  }

  @Test
  void floatHistogramsRoundTrip() {
    Properties.check("floatHistogramsRoundTrip", 300, random -> {
      Series s = series(random, false);
      boolean startTimestamps = random.nextBoolean();
      Chunk chunk = encodeFloat(s, startTimestamps);
      CounterResetHint header = s.samples().get(0).counterResetHint();
      SampleIterator it = chunk.iterator(null);
      for (int i = 0; i < s.samples().size(); i++) {
        assertThat(it.next()).isEqualTo(ValueType.FLOAT_HISTOGRAM);
        FloatHistogram in = s.samples().get(i).toFloat();
        boolean stale = Double.doubleToRawLongBits(in.sum()) == ChunkTestSupport.STALE_NAN;
        FloatHistogram expected = new FloatHistogram(expectedHint(header, i, stale), in.schema(), in.zeroThreshold(),
            in.zeroCount(), in.count(), in.sum(), in.positiveSpans(), in.positiveBuckets(), in.negativeSpans(),
            in.negativeBuckets(), in.customValues());
        assertThat(describe(it.atFloatHistogram())).as("sample %s", i).isEqualTo(describe(expected));
        assertThat(it.atST()).isEqualTo(startTimestamps ? s.starts()[i] : 0);
      }
      assertThat(it.next()).isEqualTo(ValueType.NONE);
    });
  }

  @Test
  void seekLandsOnTheFirstSampleAtOrAfterTarget() {
    Properties.check("seekLandsOnTheFirstSampleAtOrAfterTarget", 300, random -> {
      Series s = series(random, true);
      int pick = random.nextInt(150);
      long[] times = s.times();
      for (int i = 1; i < times.length; i++) {
        Properties.assume(times[i] > times[i - 1]); // false only where a time overflowed
      }
      int target = pick % times.length;
      for (Chunk chunk : List.of(encode(s, false), encodeFloat(s, true))) {
        SampleIterator it = chunk.iterator(null);
        assertThat(it.seek(times[target])).isNotEqualTo(ValueType.NONE);
        assertThat(it.atT()).isEqualTo(times[target]);
      }
    });
  }

  @Test
  void everyTruncationThrowsCorruptData() {
    Properties.check("everyTruncationThrowsCorruptData", 300, random -> {
      Series s = series(random, false);
      int kind = random.nextInt(4);
      int cut = Generators.intBetween(random, 1, 100_000);
      Chunk chunk = kind < 2 ? encode(s, kind == 1) : encodeFloat(s, kind == 3);
      ByteBuffer bytes = chunk.bytes();
      bytes.limit(Math.max(0, bytes.limit() - cut));
      assertThatThrownBy(() -> drain(Chunk.of(chunk.encoding(), bytes))).isInstanceOf(CorruptDataException.class);
    });
  }

  @Test
  void flippedBitsDecodeOrThrowCorruptDataOnly() {
    Properties.check("flippedBitsDecodeOrThrowCorruptDataOnly", 300, random -> {
      Series s = series(random, false);
      int kind = random.nextInt(4);
      int bit = random.nextInt(Integer.MAX_VALUE);
      Chunk chunk = kind < 2 ? encode(s, kind == 1) : encodeFloat(s, kind == 3);
      ByteBuffer original = chunk.bytes();
      byte[] bytes = new byte[original.remaining()];
      original.get(bytes);
      int at = bit % (bytes.length * 8);
      bytes[at >>> 3] ^= (byte) (0x80 >>> (at & 7));
      try {
        drain(Chunk.of(chunk.encoding(), ByteBuffer.wrap(bytes)));
      } catch (CorruptDataException expected) {
        // reported as corruption
      }
    });
  }

  @Test
  void arbitraryBytesDecodeOrThrowCorruptDataOnly() {
    Properties.check("arbitraryBytesDecodeOrThrowCorruptDataOnly", 400, random -> {
      byte[] bytes = Generators.bytes(random, 256);
      int kind = random.nextInt(4);
      ChunkEncoding[] encodings = {ChunkEncoding.HISTOGRAM, ChunkEncoding.HISTOGRAM_ST, ChunkEncoding.FLOAT_HISTOGRAM,
          ChunkEncoding.FLOAT_HISTOGRAM_ST};
      try {
        drain(Chunk.of(encodings[kind], ByteBuffer.wrap(bytes)));
      } catch (CorruptDataException expected) {
        // reported as corruption
      }
    });
  }

  /** Decodes every sample, building the histogram objects too. */
  static int drain(Chunk chunk) {
    SampleIterator it = chunk.iterator(null);
    int n = 0;
    ValueType type;
    while ((type = it.next()) != ValueType.NONE) {
      switch (type) {
        case FLOAT -> it.atV();
        case HISTOGRAM -> it.atHistogram();
        case FLOAT_HISTOGRAM -> it.atFloatHistogram();
        case NONE -> throw new AssertionError();
      }
      n++;
    }
    assertThat(n).isEqualTo(chunk.numSamples());
    return n;
  }
}
