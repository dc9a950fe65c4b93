package dev.orrery.core.chunk;

import static dev.orrery.core.chunk.ChunkTestSupport.decodeFloats;
import static dev.orrery.core.chunk.ChunkTestSupport.encodeXor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orrery.core.chunk.ChunkTestSupport.FloatSample;
import dev.orrery.core.histogram.FloatHistogram;
import dev.orrery.core.histogram.Histogram;
import dev.orrery.core.io.CorruptDataException;
import dev.orrery.core.testing.Generators;
import dev.orrery.core.testing.Properties;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link SampleIterator#nextFloats}: XOR's batch copy and the interface's default agree with {@code next()}. */
class SampleIteratorBulkTest {

  @Test
  void bulkReadsReturnWhatNextReturns() {
    Properties.check("bulkReadsReturnWhatNextReturns", 300, random -> {
      // Up to 300 samples: runs cross the decoder's 128-sample batches.
      List<FloatSample> samples = SampleGenerators.floatSamples(random, 0, 300);
      XorChunk chunk = XorChunk.of(encodeXor(samples, WriterCompatibility.PROMETHEUS_3));
      assertThat(readMixed(chunk.iterator(null), random)).isEqualTo(samples);
      assertThat(readMixed(new NextOnly(chunk.iterator(null)), random)).isEqualTo(samples);
    });
  }

  @Test
  void bulkReadsOfCorruptChunksThrowCorruptDataOrMatchNext() {
    Properties.check("bulkReadsOfCorruptChunksThrowCorruptDataOrMatchNext", 500, random -> {
      List<FloatSample> samples = SampleGenerators.floatSamples(random, 1, 300);
      byte[] bytes = encodeXor(samples, WriterCompatibility.PROMETHEUS_3);
      int at = random.nextInt(bytes.length * 8);
      bytes[at >>> 3] ^= (byte) (0x80 >>> (at & 7));
      int length = random.nextBoolean() ? bytes.length : random.nextInt(bytes.length + 1);
      Chunk chunk;
      List<FloatSample> expected;
      try {
        chunk = Chunk.of(ChunkEncoding.XOR, ByteBuffer.wrap(bytes, 0, length));
        expected = decodeFloats(chunk);
      } catch (CorruptDataException e) {
        // Whatever next() read before the corruption, the bulk reads see the same prefix and then the same failure.
        assertThatThrownBy(() -> readMixed(Chunk.of(ChunkEncoding.XOR, ByteBuffer.wrap(bytes, 0, length))
            .iterator(null), random)).isInstanceOf(CorruptDataException.class);
        return;
      }
      assertThat(readMixed(chunk.iterator(null), random)).isEqualTo(expected);
    });
  }

  @Test
  void xorBulkReadLeavesTheLastSampleCurrentAndRespectsOffsetAndMax() {
    List<FloatSample> samples = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      samples.add(new FloatSample(1_000L * i, Double.doubleToRawLongBits(i * 0.5)));
    }
    SampleIterator it = XorChunk.of(encodeXor(samples, WriterCompatibility.PROMETHEUS_3)).iterator(null);
    long[] ts = new long[300];
    double[] vs = new double[300];
    assertThat(it.nextFloats(ts, vs, 7, 0)).isZero();
    assertThat(it.nextFloats(ts, vs, 7, 150)).isEqualTo(150);
    assertThat(ts[6]).isZero();
    assertThat(ts[7]).isZero();
    assertThat(ts[156]).isEqualTo(149_000L);
    assertThat(vs[156]).isEqualTo(74.5);
    assertThat(it.atT()).isEqualTo(149_000L);
    assertThat(it.next()).isEqualTo(ValueType.FLOAT);
    assertThat(it.atT()).isEqualTo(150_000L);
    assertThat(it.nextFloats(ts, vs, 0, 300)).isEqualTo(49);
    assertThat(ts[48]).isEqualTo(199_000L);
    assertThat(it.seek(Long.MIN_VALUE)).isEqualTo(ValueType.NONE);
    assertThat(it.nextFloats(ts, vs, 0, 300)).isZero();
    assertThatThrownBy(() -> it.nextFloats(ts, vs, 290, 11)).isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> it.nextFloats(ts, new double[5], 0, 6))
        .isInstanceOf(IndexOutOfBoundsException.class);
  }

  @Test
  void defaultBulkReadStopsOnANonFloatSampleAndLeavesItCurrent() {
    SampleIterator it = new Scripted(ValueType.FLOAT, ValueType.FLOAT, ValueType.HISTOGRAM, ValueType.FLOAT);
    long[] ts = new long[4];
    double[] vs = new double[4];
    assertThat(it.nextFloats(ts, vs, 0, 4)).isEqualTo(2);
    assertThat(ts).containsExactly(0, 1, 0, 0);
    assertThat(vs).containsExactly(0.0, 1.0, 0.0, 0.0);
    assertThat(it.seek(Long.MIN_VALUE)).isEqualTo(ValueType.HISTOGRAM);
    assertThat(it.atT()).isEqualTo(2);
    assertThat(it.nextFloats(ts, vs, 1, 3)).isEqualTo(1);
    assertThat(ts[1]).isEqualTo(3);
    assertThat(it.seek(Long.MIN_VALUE)).isEqualTo(ValueType.NONE);
  }

  /** Reads with random run lengths, and single next() calls between runs. */
  private static List<FloatSample> readMixed(SampleIterator it, SplittableRandom random) {
    List<FloatSample> out = new ArrayList<>();
    long[] ts = new long[400];
    double[] vs = new double[400];
    while (true) {
      if (random.nextInt(4) == 0) {
        if (it.next() == ValueType.NONE) {
          return out;
        }
        out.add(new FloatSample(it.atT(), Double.doubleToRawLongBits(it.atV())));
        continue;
      }
      int offset = random.nextInt(100);
      int max = Generators.intBetween(random, 1, 300);
      int n = it.nextFloats(ts, vs, offset, max);
      for (int i = 0; i < n; i++) {
        out.add(new FloatSample(ts[offset + i], Double.doubleToRawLongBits(vs[offset + i])));
      }
      if (n < max) {
        assertThat(it.seek(Long.MIN_VALUE)).isEqualTo(ValueType.NONE);
        return out;
      }
      assertThat(it.atT()).isEqualTo(ts[offset + n - 1]);
    }
  }

  /** Delegates everything but {@code nextFloats}, so that the interface's default runs. */
  private record NextOnly(SampleIterator it) implements SampleIterator {
    @Override
    public ValueType next() {
      return it.next();
    }

    @Override
    public ValueType seek(long t) {
      return it.seek(t);
    }

    @Override
    public long atT() {
      return it.atT();
    }

    @Override
    public double atV() {
      return it.atV();
    }

    @Override
    public Histogram atHistogram() {
      return it.atHistogram();
    }

    @Override
    public FloatHistogram atFloatHistogram() {
      return it.atFloatHistogram();
    }
  }

  /** Samples of the given types at t = 0, 1, ...; float values equal their timestamps. */
  private static final class Scripted implements SampleIterator {
    private final ValueType[] types;
    private int index = -1;

    Scripted(ValueType... types) {
      this.types = types;
    }

    @Override
    public ValueType next() {
      if (index < types.length) {
        index++;
      }
      return index < types.length ? types[index] : ValueType.NONE;
    }

    @Override
    public ValueType seek(long t) {
      if (index < 0) {
        next();
      }
      while (index < types.length && index < t) {
        next();
      }
      return index < types.length ? types[index] : ValueType.NONE;
    }

    @Override
    public long atT() {
      return index;
    }

    @Override
    public double atV() {
      return index;
    }

    @Override
    public Histogram atHistogram() {
      throw new UnsupportedOperationException();
    }

    @Override
    public FloatHistogram atFloatHistogram() {
      throw new UnsupportedOperationException();
    }
  }
}
