package dev.orrery.core.chunk;

import static dev.orrery.core.chunk.ChunkTestSupport.decodeFloats;
import static dev.orrery.core.chunk.ChunkTestSupport.encodeXor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orrery.core.chunk.ChunkTestSupport.FloatSample;
import dev.orrery.core.io.CorruptDataException;
import dev.orrery.core.testing.BulkReads;
import dev.orrery.core.testing.Generators;
import dev.orrery.core.testing.Properties;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class XorChunkPropertiesTest {

  @Test
  void encodeThenDecodeReturnsTheInputBitForBit() {
    Properties.check("encodeThenDecodeReturnsTheInputBitForBit", 400, random -> {
      List<FloatSample> samples = SampleGenerators.floatSamples(random, 0, 200);
      byte[] v3 = encodeXor(samples, WriterCompatibility.PROMETHEUS_3);
      byte[] v2 = encodeXor(samples, WriterCompatibility.PROMETHEUS_2);
      assertThat(decodeFloats(XorChunk.of(v3))).isEqualTo(samples);
      assertThat(decodeFloats(XorChunk.of(v2))).isEqualTo(samples);
      assertThat(XorChunk.of(v3).numSamples()).isEqualTo(samples.size());
    });
  }

  @Test
  void bulkReadsAgreeWithNext() {
    Properties.check("bulkReadsAgreeWithNext", 300, random -> {
      // Up to 400 samples, so bulk reads cross the decoder's 128-sample batches.
      byte[] chunk = encodeXor(SampleGenerators.floatSamples(random, 0, 400), WriterCompatibility.PROMETHEUS_3);
      BulkReads.assertBulkAgreesWithNext(() -> XorChunk.of(chunk).iterator(null), random);
    });
  }

  @Test
  void prometheus2FormIsThe3FormOrItPlusOneZeroByte() {
    Properties.check("prometheus2FormIsThe3FormOrItPlusOneZeroByte", 400, random -> {
      List<FloatSample> samples = SampleGenerators.floatSamples(random, 0, 200);
      byte[] v3 = encodeXor(samples, WriterCompatibility.PROMETHEUS_3);
      byte[] v2 = encodeXor(samples, WriterCompatibility.PROMETHEUS_2);
      if (v2.length == v3.length + 1) {
        assertThat(v2[v3.length]).isZero();
        assertThat(Arrays.copyOf(v2, v3.length)).isEqualTo(v3);
      } else {
        assertThat(v2).isEqualTo(v3);
      }
    });
  }

  @Test
  void seekLandsOnFirstSampleAtOrAfterTarget() {
    Properties.check("seekLandsOnFirstSampleAtOrAfterTarget", 300, random -> {
      List<FloatSample> samples = SampleGenerators.floatSamples(random, 1, 200);
      int pick = random.nextInt(200);
      // Seek is defined for increasing timestamps, which is what chunks hold: keep the values, respace the times.
      List<FloatSample> increasing = new ArrayList<>();
      long t = samples.get(0).t() >> 2;
      for (FloatSample s : samples) {
        t += 1 + Math.floorMod(s.t(), 100_000);
        increasing.add(new FloatSample(t, s.bits()));
      }
      samples = increasing;
      FloatSample target = samples.get(pick % samples.size());
      SampleIterator it = XorChunk.of(encodeXor(samples, WriterCompatibility.PROMETHEUS_3)).iterator(null);
      assertThat(it.seek(target.t())).isEqualTo(ValueType.FLOAT);
      assertThat(it.atT()).isEqualTo(target.t());
      assertThat(Double.doubleToRawLongBits(it.atV())).isEqualTo(target.bits());
    });
  }

  @Test
  void everyTruncationThrowsCorruptData() {
    Properties.check("everyTruncationThrowsCorruptData", 300, random -> {
      List<FloatSample> samples = SampleGenerators.floatSamples(random, 1, 200);
      int cut = Generators.intBetween(random, 1, 5000);
      byte[] full = encodeXor(samples, WriterCompatibility.PROMETHEUS_3);
      int length = Math.max(0, full.length - cut);
      ByteBuffer truncated = ByteBuffer.wrap(full, 0, length);
      assertThatThrownBy(() -> decodeFloats(Chunk.of(ChunkEncoding.XOR, truncated)))
          .isInstanceOf(CorruptDataException.class);
    });
  }

  @Test
  void arbitraryBytesDecodeOrThrowCorruptDataOnly() {
    Properties.check("arbitraryBytesDecodeOrThrowCorruptDataOnly", 1000, random -> {
      byte[] bytes = Generators.bytes(random, 256);
      try {
        Chunk chunk = Chunk.of(ChunkEncoding.XOR, ByteBuffer.wrap(bytes));
        List<FloatSample> decoded = decodeFloats(chunk);
        assertThat(decoded).hasSize(chunk.numSamples());
      } catch (CorruptDataException expected) {
        // fine: reported as corruption
      }
    });
  }

  @Test
  void flippedBitsDecodeOrThrowCorruptDataOnly() {
    Properties.check("flippedBitsDecodeOrThrowCorruptDataOnly", 500, random -> {
      List<FloatSample> samples = SampleGenerators.floatSamples(random, 0, 200);
      int bit = random.nextInt(Integer.MAX_VALUE);
      byte[] bytes = encodeXor(samples, WriterCompatibility.PROMETHEUS_3);
      int at = bit % (bytes.length * 8);
      bytes[at >>> 3] ^= (byte) (0x80 >>> (at & 7));
      try {
        Chunk chunk = Chunk.of(ChunkEncoding.XOR, ByteBuffer.wrap(bytes));
        assertThat(decodeFloats(chunk)).hasSize(chunk.numSamples());
      } catch (CorruptDataException expected) {
        // fine: reported as corruption
      }
    });
  }
}
