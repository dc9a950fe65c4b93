package dev.orrery.core.chunk;

import static dev.orrery.core.chunk.ChunkTestSupport.STALE_NAN;
import static dev.orrery.core.chunk.ChunkTestSupport.hex;
import static dev.orrery.core.chunk.ChunkTestSupport.unhex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orrery.core.chunk.ChunkTestSupport.FloatSample;
import dev.orrery.core.io.CorruptDataException;
import dev.orrery.core.testing.Generators;
import dev.orrery.core.testing.Properties;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
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

  /** {@link SampleGenerators#floatSamples} with start timestamps that mostly stay, sometimes move, rarely jump. */
  private static List<StSample> stSamples(SplittableRandom random, int minSize) {
    List<FloatSample> floats = SampleGenerators.floatSamples(random, minSize, 260);
    long firstSt = Generators.longBetween(random, -5, 5);
    List<StSample> out = new ArrayList<>();
    long st = firstSt == 0 ? 0 : floats.isEmpty() ? 0 : floats.get(0).t() - 1000 * firstSt;
    for (FloatSample f : floats) {
      st += switch (Generators.weighted(random, 8, 2, 1)) {
        case 0 -> 0;
        case 1 -> Generators.longBetween(random, -100_000, 100_000);
        default -> Generators.anyLong(random);
      };
      out.add(new StSample(st, f.t(), f.bits()));
    }
    return out;
  }

  @Test
  void encodeThenDecodeReturnsTheInput() {
    Properties.check("encodeThenDecodeReturnsTheInput", 300, random -> {
      List<StSample> samples = stSamples(random, 0);
      assertThat(decode(Chunk.of(ChunkEncoding.XOR2, ByteBuffer.wrap(encode(samples))))).isEqualTo(samples);
    });
  }

  @Test
  void everyTruncationThrowsCorruptData() {
    Properties.check("everyTruncationThrowsCorruptData", 200, random -> {
      List<StSample> samples = stSamples(random, 1);
      int cut = Generators.intBetween(random, 1, 4000);
      byte[] full = encode(samples);
      ByteBuffer truncated = ByteBuffer.wrap(full, 0, Math.max(0, full.length - cut));
      assertThatThrownBy(() -> decode(Chunk.of(ChunkEncoding.XOR2, truncated)))
          .isInstanceOf(CorruptDataException.class);
    });
  }

  @Test
  void arbitraryBytesDecodeOrThrowCorruptDataOnly() {
    Properties.check("arbitraryBytesDecodeOrThrowCorruptDataOnly", 500, random -> {
      byte[] bytes = Generators.bytes(random, 256);
      try {
        Chunk chunk = Chunk.of(ChunkEncoding.XOR2, ByteBuffer.wrap(bytes));
        assertThat(decode(chunk)).hasSize(chunk.numSamples());
      } catch (CorruptDataException expected) {
        // reported as corruption
      }
    });
  }
}
