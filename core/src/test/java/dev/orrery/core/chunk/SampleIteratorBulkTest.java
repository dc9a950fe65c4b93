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

/** {@link SampleIterator#appendFloats}: XOR's batch copy and the interface's default agree with {@code next()}. */
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
  void defaultBulkReadStopsOnANonFloatSampleAndLeavesItCurrent() {
    SampleIterator it = new Scripted(ValueType.FLOAT, ValueType.FLOAT, ValueType.HISTOGRAM, ValueType.FLOAT);
    FloatSamples out = new FloatSamples();
    assertThat(it.appendFloats(out, Long.MAX_VALUE)).isEqualTo(ValueType.HISTOGRAM);
    assertThat(out.count).isEqualTo(2);
    assertThat(out.ts[0]).isEqualTo(0);
    assertThat(out.ts[1]).isEqualTo(1);
    assertThat(out.values[1]).isEqualTo(1.0);
    assertThat(it.atT()).isEqualTo(2);
    assertThat(it.appendFloats(out, Long.MAX_VALUE)).isEqualTo(ValueType.NONE);
    assertThat(out.count).isEqualTo(3);
    assertThat(out.ts[2]).isEqualTo(3);
  }

  /** Reads with bulk reads up to random limits, and single next() calls between them. */
  private static List<FloatSample> readMixed(SampleIterator it, SplittableRandom random) {
    List<FloatSample> out = new ArrayList<>();
    FloatSamples buf = new FloatSamples();
    long last = Long.MIN_VALUE;
    while (true) {
      if (last == Long.MIN_VALUE || random.nextInt(4) == 0) {
        if (it.next() == ValueType.NONE) {
          return out;
        }
        last = it.atT();
        out.add(new FloatSample(last, Double.doubleToRawLongBits(it.atV())));
        continue;
      }
      long maxT = last + Generators.intBetween(random, 0, 600_000);
      buf.count = 0;
      ValueType stopped = it.appendFloats(buf, maxT);
      for (int i = 0; i < buf.count; i++) {
        out.add(new FloatSample(buf.ts[i], Double.doubleToRawLongBits(buf.values[i])));
      }
      if (stopped == ValueType.NONE) {
        return out;
      }
      assertThat(it.atT()).isGreaterThan(maxT);
      last = it.atT();
      out.add(new FloatSample(last, Double.doubleToRawLongBits(it.atV())));
    }
  }

  /** Delegates everything but {@code appendFloats}, so that the interface's default runs. */
  private static final class NextOnly extends ForwardingSampleIterator {
    NextOnly(SampleIterator it) {
      super(it);
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
      throw new IllegalStateException("float and histogram types only by script");
    }

    @Override
    public FloatHistogram atFloatHistogram() {
      throw new IllegalStateException("float and histogram types only by script");
    }
  }
}
