package dev.orrery.core.chunk;

import static dev.orrery.core.chunk.ChunkTestSupport.encodeXor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orrery.core.chunk.ChunkTestSupport.FloatSample;
import dev.orrery.core.testing.Generators;
import dev.orrery.core.testing.Properties;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Many-chunk decoding against the one-chunk decoder: for valid, truncated and corrupted chunks, every lane must hold
 * exactly what iterating its chunk gives, and the same error. Run both with vectors and without.
 */
class XorChunkLanesTest {

  @Test
  void theVectorLoopRunsUnderTheBuild() {
    // The build adds the incubator module to test JVMs, so the vector loop is tested on any CPU (without AVX-512 the
    // Vector API computes it lane by lane: slowly, with the same results).
    assertThat(ModuleLayer.boot().findModule("jdk.incubator.vector")).isPresent();
    assertThat(new XorChunkLanes(true).usesVectors()).isTrue();
  }

  @Test
  void scrapeLikeChunksDecodeAsOneByOne() {
    int[] vectorLanes = {0};
    Properties.check("scrapeLikeChunksDecodeAsOneByOne", 300, random -> {
      List<Chunk> chunks = chunks(random, XorChunkLanesTest::scrapes);
      XorChunkLanes lanes = new XorChunkLanes(true);
      lanes.decode(chunks);
      assertLanesMatch(lanes, chunks);
      vectorLanes[0] += lanes.vectorLanes();
      XorChunkLanes scalar = new XorChunkLanes(false);
      scalar.decode(chunks);
      assertLanesMatch(scalar, chunks);
    });
    assertThat(vectorLanes[0]).as("lanes through the vector loop").isGreaterThan(1000);
  }

  @Test
  void arbitrarySamplesDecodeAsOneByOne() {
    // Every dod bucket (including 64-bit ones, which the vector loop hands back), NaNs, stale markers, repeats.
    Properties.check("arbitrarySamplesDecodeAsOneByOne", 300, random -> {
      List<Chunk> chunks = chunks(random, r -> SampleGenerators.floatSamples(r, 0, 300));
      XorChunkLanes lanes = new XorChunkLanes(true);
      lanes.decode(chunks);
      assertLanesMatch(lanes, chunks);
    });
  }

  @Test
  void corruptChunksFailAloneWithTheOneByOneError() {
    Properties.check("corruptChunksFailAloneWithTheOneByOneError", 400, random -> {
      List<Chunk> chunks = new ArrayList<>();
      int n = Generators.intBetween(random, 1, XorChunkLanes.LANES);
      for (int i = 0; i < n; i++) {
        byte[] bytes = encodeXor(scrapes(random), WriterCompatibility.PROMETHEUS_3);
        switch (Generators.weighted(random, 2, 2, 1, 1)) {
          case 0 -> {
            int at = random.nextInt(bytes.length * 8);
            bytes[at >>> 3] ^= (byte) (0x80 >>> (at & 7));
          }
          case 1 -> bytes = java.util.Arrays.copyOf(bytes, Math.max(2, bytes.length - 1 - random.nextInt(40)));
          case 2 -> bytes = Generators.bytes(random, 300);
          default -> {
            // valid
          }
        }
        if (bytes.length < XorChunk.HEADER_BYTES) {
          bytes = new byte[XorChunk.HEADER_BYTES];
        }
        chunks.add(new XorChunk(ByteBuffer.wrap(bytes), "chunks/000001", 1000L * i));
      }
      XorChunkLanes lanes = new XorChunkLanes(true);
      lanes.decode(chunks);
      assertLanesMatch(lanes, chunks);
    });
  }

  @Test
  void appendFloatsCopiesALane() {
    SplittableRandom random = new SplittableRandom(7);
    List<Chunk> chunks = chunks(random, XorChunkLanesTest::scrapes);
    XorChunkLanes lanes = new XorChunkLanes(true);
    lanes.decode(chunks);
    FloatSamples out = new FloatSamples();
    out.add(1, 2);
    int lane = chunks.size() - 1;
    assertThat(lanes.appendFloats(lane, out)).isEqualTo(lanes.count(lane));
    List<FloatSample> copied = new ArrayList<>();
    for (int i = 1; i < out.count; i++) {
      copied.add(new FloatSample(out.ts[i], Double.doubleToRawLongBits(out.values[i])));
    }
    assertThat(copied).isEqualTo(ChunkTestSupport.decodeFloats(chunks.get(lane)));
    assertThat(out.ts[0]).isEqualTo(1);
  }

  @Test
  void refusesWhatItCannotDecode() {
    XorChunkLanes lanes = new XorChunkLanes(true);
    List<Chunk> tooMany = new ArrayList<>();
    for (int i = 0; i <= XorChunkLanes.LANES; i++) {
      tooMany.add(XorChunk.of(encodeXor(List.of(new FloatSample(i, 0)), WriterCompatibility.PROMETHEUS_3)));
    }
    assertThatThrownBy(() -> lanes.decode(tooMany)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at most 16");
    Chunk xor2 = Chunk.of(ChunkEncoding.XOR2, ByteBuffer.wrap(new byte[] {0, 0, 0}));
    assertThatThrownBy(() -> lanes.decode(List.of(xor2))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("lane 0: not an XOR chunk");
    lanes.decode(List.of());
    assertThat(lanes.lanes()).isZero();
    assertThatThrownBy(() -> lanes.count(0)).isInstanceOf(IndexOutOfBoundsException.class);
  }

  /** 1 to 16 chunks of the samples {@code generator} makes. */
  private static List<Chunk> chunks(SplittableRandom random,
      java.util.function.Function<SplittableRandom, List<FloatSample>> generator) {
    int n = Generators.intBetween(random, 1, XorChunkLanes.LANES);
    List<Chunk> chunks = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      WriterCompatibility form = random.nextBoolean() ? WriterCompatibility.PROMETHEUS_3
          : WriterCompatibility.PROMETHEUS_2;
      chunks.add(XorChunk.of(encodeXor(generator.apply(random), form)));
    }
    return chunks;
  }

  /**
   * Scrape-like samples: 15 s intervals with jitter and the odd missed scrape, counters, gauges with two decimals
   * (windows up to 64 bits as they cross zero), constants, NaNs and stale markers; usually 120 samples.
   */
  static List<FloatSample> scrapes(SplittableRandom random) {
    int size = Generators.weighted(random, 3, 1) == 0 ? 120 : Generators.intBetween(random, 0, 250);
    long t = Generators.longBetween(random, 1_500_000_000_000L, 1_800_000_000_000L);
    int kind = random.nextInt(4);
    double value = kind == 3 ? 0 : random.nextDouble() * 100;
    List<FloatSample> out = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      int gap = Generators.weighted(random, 30, 1, 1) == 0 ? 1 : random.nextInt(2, 6);
      t += 15_000L * gap + random.nextInt(-24, 25);
      value = switch (kind) {
        case 0 -> value + (random.nextInt(4) == 0 ? 0 : random.nextInt(1, 40) * 0.5);
        case 1 -> Math.round((value + random.nextInt(-300, 301) / 100.0) * 100) / 100.0;
        case 2 -> value;
        default -> Math.round((random.nextDouble() * 2 - 1) * 100) / 100.0;
      };
      long bits = switch (Generators.weighted(random, 40, 1, 1)) {
        case 0 -> Double.doubleToRawLongBits(value);
        case 1 -> ChunkTestSupport.STALE_NAN;
        default -> ChunkTestSupport.NORMAL_NAN;
      };
      out.add(new FloatSample(t, bits));
    }
    return out;
  }

  /** Each lane holds its chunk's samples as the one-chunk decoder gives them, and fails where it fails. */
  private static void assertLanesMatch(XorChunkLanes lanes, List<Chunk> chunks) {
    assertThat(lanes.lanes()).isEqualTo(chunks.size());
    for (int lane = 0; lane < chunks.size(); lane++) {
      List<FloatSample> expected = new ArrayList<>();
      String expectedError = null;
      SampleIterator it = chunks.get(lane).iterator(null);
      try {
        while (it.next() == ValueType.FLOAT) {
          expected.add(new FloatSample(it.atT(), Double.doubleToRawLongBits(it.atV())));
        }
      } catch (CorruptChunkException e) {
        expectedError = e.getMessage();
      }
      List<FloatSample> actual = new ArrayList<>();
      for (int i = 0; i < lanes.count(lane); i++) {
        actual.add(new FloatSample(lanes.time(lane, i), lanes.valueBits(lane, i)));
        assertThat(Double.doubleToRawLongBits(lanes.value(lane, i))).isEqualTo(lanes.valueBits(lane, i));
      }
      assertThat(actual).as("lane %d of %d", lane, chunks.size()).isEqualTo(expected);
      CorruptChunkException error = lanes.error(lane);
      assertThat(error == null ? null : error.getMessage()).as("lane %d error", lane).isEqualTo(expectedError);
      // The lane's iterator: the same samples, then the same error.
      List<FloatSample> iterated = new ArrayList<>();
      String iteratedError = null;
      SampleIterator laneIterator = lanes.iterator(lane);
      try {
        while (laneIterator.next() == ValueType.FLOAT) {
          iterated.add(new FloatSample(laneIterator.atT(), Double.doubleToRawLongBits(laneIterator.atV())));
        }
      } catch (CorruptChunkException e) {
        iteratedError = e.getMessage();
      }
      assertThat(iterated).isEqualTo(expected);
      assertThat(iteratedError).isEqualTo(expectedError);
    }
  }
}
