package dev.orrery.core.chunk;

import static dev.orrery.core.chunk.ChunkTestSupport.decodeFloats;
import static dev.orrery.core.chunk.ChunkTestSupport.encodeXor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orrery.core.chunk.ChunkTestSupport.FloatSample;
import dev.orrery.core.io.CorruptDataException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

class XorChunkPropertiesTest {

  @Provide
  Arbitrary<List<FloatSample>> samples() {
    return SampleArbitraries.floatSamples(200);
  }

  @Property(tries = 400)
  void encodeThenDecodeReturnsTheInputBitForBit(@ForAll("samples") List<FloatSample> samples) {
    byte[] v3 = encodeXor(samples, WriterCompatibility.PROMETHEUS_3);
    byte[] v2 = encodeXor(samples, WriterCompatibility.PROMETHEUS_2);
    assertThat(decodeFloats(XorChunk.of(v3))).isEqualTo(samples);
    assertThat(decodeFloats(XorChunk.of(v2))).isEqualTo(samples);
    assertThat(XorChunk.of(v3).numSamples()).isEqualTo(samples.size());
  }

  @Property(tries = 400)
  void prometheus2FormIsThe3FormOrItPlusOneZeroByte(@ForAll("samples") List<FloatSample> samples) {
    byte[] v3 = encodeXor(samples, WriterCompatibility.PROMETHEUS_3);
    byte[] v2 = encodeXor(samples, WriterCompatibility.PROMETHEUS_2);
    if (v2.length == v3.length + 1) {
      assertThat(v2[v3.length]).isZero();
      assertThat(Arrays.copyOf(v2, v3.length)).isEqualTo(v3);
    } else {
      assertThat(v2).isEqualTo(v3);
    }
  }

  @Property(tries = 300)
  void seekLandsOnFirstSampleAtOrAfterTarget(@ForAll("samples") List<FloatSample> samples,
      @ForAll @IntRange(min = 0, max = 199) int pick) {
    Assume.that(!samples.isEmpty());
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
  }

  @Property(tries = 300)
  void everyTruncationThrowsCorruptData(@ForAll("samples") List<FloatSample> samples,
      @ForAll @IntRange(min = 1, max = 5000) int cut) {
    Assume.that(!samples.isEmpty());
    byte[] full = encodeXor(samples, WriterCompatibility.PROMETHEUS_3);
    int length = Math.max(0, full.length - cut);
    ByteBuffer truncated = ByteBuffer.wrap(full, 0, length);
    assertThatThrownBy(() -> decodeFloats(Chunk.of(ChunkEncoding.XOR, truncated)))
        .isInstanceOf(CorruptDataException.class);
  }

  @Property(tries = 1000)
  void arbitraryBytesDecodeOrThrowCorruptDataOnly(@ForAll byte[] bytes) {
    try {
      Chunk chunk = Chunk.of(ChunkEncoding.XOR, ByteBuffer.wrap(bytes));
      List<FloatSample> decoded = decodeFloats(chunk);
      assertThat(decoded).hasSize(chunk.numSamples());
    } catch (CorruptDataException expected) {
      // fine: reported as corruption
    }
  }

  @Property(tries = 500)
  void flippedBitsDecodeOrThrowCorruptDataOnly(@ForAll("samples") List<FloatSample> samples,
      @ForAll @IntRange(min = 0, max = Integer.MAX_VALUE) int bit) {
    byte[] bytes = encodeXor(samples, WriterCompatibility.PROMETHEUS_3);
    int at = bit % (bytes.length * 8);
    bytes[at >>> 3] ^= (byte) (0x80 >>> (at & 7));
    try {
      Chunk chunk = Chunk.of(ChunkEncoding.XOR, ByteBuffer.wrap(bytes));
      assertThat(decodeFloats(chunk)).hasSize(chunk.numSamples());
    } catch (CorruptDataException expected) {
      // fine: reported as corruption
    }
  }
}
