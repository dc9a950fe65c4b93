package dev.orrery.core.chunk;

import static dev.orrery.core.chunk.ChunkTestSupport.STALE_NAN;
import static dev.orrery.core.chunk.ChunkTestSupport.hex;
import static dev.orrery.core.chunk.ChunkTestSupport.unhex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orrery.core.io.CorruptDataException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * XOR2 chunks (encoding 4). Golden vectors come from a model of Prometheus' {@code xor2Appender} written separately
 * from {@link Xor2TestAppender}.
 */
class Xor2ChunkTest {
  static final long ONE = Double.doubleToRawLongBits(1.0);
  static final long TWO = Double.doubleToRawLongBits(2.0);

  /** A sample with start timestamp: {st, t, value bits}. */
  record StSample(long st, long t, long bits) {}

  static List<StSample> decode(Chunk chunk) {
    List<StSample> out = new ArrayList<>();
    SampleIterator it = chunk.iterator(null);
    while (it.next() == ValueType.FLOAT) {
      out.add(new StSample(it.atST(), it.atT(), Double.doubleToRawLongBits(it.atV())));
    }
    return out;
  }

  static byte[] encode(List<StSample> samples) {
    Xor2TestAppender a = new Xor2TestAppender();
    samples.forEach(s -> a.append(s.st(), s.t(), s.bits()));
    return a.bytes();
  }

  @Test
  void decodesEveryJointPrefixWithoutStartTimestamps() {
    List<StSample> samples = List.of(new StSample(0, 1000, ONE), new StSample(0, 16000, ONE),
        new StSample(0, 31000, ONE), new StSample(0, 46000, TWO), new StSample(0, 61005, STALE_NAN),
        new StSample(0, 76010, TWO), new StSample(0, 91015, TWO), new StSample(0, 106020, STALE_NAN),
        new StSample(0, 2000000, Double.doubleToRawLongBits(2.5)),
        new StSample(0, 2000001, Double.doubleToRawLongBits(3.5)));
    String golden = "000a00d00f3ff00000000000009875284bfff800bcff8000000000072aeff341fbffffffffff8c66973018";
    assertThat(hex(encode(samples))).isEqualTo(golden);
    Chunk chunk = Chunk.of(ChunkEncoding.XOR2, ByteBuffer.wrap(unhex(golden)));
    assertThat(chunk).isInstanceOf(Xor2Chunk.class);
    assertThat(chunk.numSamples()).isEqualTo(10);
    assertThat(decode(chunk)).containsExactlyElementsOf(samples);
  }

  @Test
  void decodesStartTimestampsThatChangeMidChunk() {
    List<StSample> samples = List.of(new StSample(900, 1000, ONE), new StSample(900, 16000, TWO),
        new StSample(900, 31000, TWO), new StSample(15500, 46000, TWO),
        new StSample(15500, 61000, Double.doubleToRawLongBits(4.0)), new StSample(61000, 76000, STALE_NAN));
    String golden = "000683d00f3ff0000000000000c8019875c12fff9f07919000fc1d4c7fee2370";
    assertThat(hex(encode(samples))).isEqualTo(golden);
    assertThat(decode(Chunk.of(ChunkEncoding.XOR2, ByteBuffer.wrap(unhex(golden))))).containsExactlyElementsOf(samples);
  }

  @Test
  void staleFirstSampleLeavesBaselineAtZero() {
    List<StSample> samples = List.of(new StSample(0, 1000, STALE_NAN), new StSample(5, 1010, STALE_NAN),
        new StSample(7, 1020, ONE));
    String golden = "000301d00f7ff00000000000020afe3e3a22bffc40";
    assertThat(hex(encode(samples))).isEqualTo(golden);
    assertThat(decode(Chunk.of(ChunkEncoding.XOR2, ByteBuffer.wrap(unhex(golden))))).containsExactlyElementsOf(samples);
  }

  @Test
  void startTimestampFieldsAreForcedFromSample127() {
    List<StSample> samples = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      samples.add(new StSample(0, 1000L * i, Double.doubleToRawLongBits(i % 7)));
    }
    byte[] bytes = encode(samples);
    assertThat(bytes[2] & 0xFF).isEqualTo(127);
    assertThat(decode(Chunk.of(ChunkEncoding.XOR2, ByteBuffer.wrap(bytes)))).containsExactlyElementsOf(samples);
  }

  @Provide
  Arbitrary<List<StSample>> stSamples() {
    Arbitrary<Long> stSteps = Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(8, Arbitraries.just(0L)),
        net.jqwik.api.Tuple.of(2, Arbitraries.longs().between(-100_000, 100_000)),
        net.jqwik.api.Tuple.of(1, Arbitraries.longs()));
    return Combinators.combine(SampleArbitraries.floatSamples(260), stSteps.list().ofSize(260),
        Arbitraries.longs().between(-5, 5))
        .as((floats, steps, firstSt) -> {
          List<StSample> out = new ArrayList<>();
          long st = firstSt == 0 ? 0 : floats.isEmpty() ? 0 : floats.get(0).t() - 1000 * firstSt;
          for (int i = 0; i < floats.size(); i++) {
            st += steps.get(i);
            out.add(new StSample(st, floats.get(i).t(), floats.get(i).bits()));
          }
          return out;
        });
  }

  @Property(tries = 300)
  void encodeThenDecodeReturnsTheInput(@ForAll("stSamples") List<StSample> samples) {
    assertThat(decode(Chunk.of(ChunkEncoding.XOR2, ByteBuffer.wrap(encode(samples))))).isEqualTo(samples);
  }

  @Property(tries = 200)
  void everyTruncationThrowsCorruptData(@ForAll("stSamples") List<StSample> samples,
      @ForAll @IntRange(min = 1, max = 4000) int cut) {
    net.jqwik.api.Assume.that(!samples.isEmpty());
    byte[] full = encode(samples);
    ByteBuffer truncated = ByteBuffer.wrap(full, 0, Math.max(0, full.length - cut));
    assertThatThrownBy(() -> decode(Chunk.of(ChunkEncoding.XOR2, truncated)))
        .isInstanceOf(CorruptDataException.class);
  }

  @Property(tries = 500)
  void arbitraryBytesDecodeOrThrowCorruptDataOnly(@ForAll byte[] bytes) {
    try {
      Chunk chunk = Chunk.of(ChunkEncoding.XOR2, ByteBuffer.wrap(bytes));
      assertThat(decode(chunk)).hasSize(chunk.numSamples());
    } catch (CorruptDataException expected) {
      // reported as corruption
    }
  }
}
