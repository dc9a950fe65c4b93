package dev.orrery.core.chunk;

import static dev.orrery.core.chunk.ChunkTestSupport.NORMAL_NAN;
import static dev.orrery.core.chunk.ChunkTestSupport.STALE_NAN;
import static dev.orrery.core.chunk.ChunkTestSupport.decodeFloats;
import static dev.orrery.core.chunk.ChunkTestSupport.encodeXor;
import static dev.orrery.core.chunk.ChunkTestSupport.hex;
import static dev.orrery.core.chunk.ChunkTestSupport.pairs;
import static dev.orrery.core.chunk.ChunkTestSupport.unhex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orrery.core.OrreryException;
import dev.orrery.core.chunk.ChunkTestSupport.FloatSample;
import dev.orrery.core.chunk.XorGoldenVectors.Golden;
import dev.orrery.core.io.CorruptDataException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class XorChunkTest {

  @Test
  void oneSampleChunkMatchesPromtool242BytesInPrometheus2Form() {
    XorAppender a = new XorAppender(WriterCompatibility.PROMETHEUS_2);
    a.append(1704069000099L, 1.0);
    assertThat(hex(a.bytes())).isEqualTo("0001" + "c6aeeba69863" + "3ff0000000000000" + "00");
  }

  @Test
  void oneSampleChunkHasNoSpareByteInPrometheus3Form() {
    XorAppender a = new XorAppender();
    a.append(1704069000099L, 1.0);
    assertThat(hex(a.bytes())).isEqualTo("0001c6aeeba698633ff0000000000000");
  }

  @Test
  void emptyChunkIsTwoZeroBytes() {
    assertThat(new XorAppender().bytes()).containsExactly(0, 0);
    assertThat(new XorAppender(WriterCompatibility.PROMETHEUS_2).bytes()).containsExactly(0, 0);
    XorChunk empty = XorChunk.of(new byte[] {0, 0});
    assertThat(empty.numSamples()).isZero();
    SampleIterator it = empty.iterator(null);
    assertThat(it.next()).isEqualTo(ValueType.NONE);
    assertThat(it.seek(Long.MIN_VALUE)).isEqualTo(ValueType.NONE);
  }

  static Stream<Golden> goldens() {
    return XorGoldenVectors.ALL.stream();
  }

  @ParameterizedTest
  @MethodSource("goldens")
  void encodesGoldenVectorsByteForByteInBothForms(Golden golden) {
    List<FloatSample> samples = pairs(golden.samples());
    assertThat(hex(encodeXor(samples, WriterCompatibility.PROMETHEUS_2))).isEqualTo(golden.prometheus2Hex());
    assertThat(hex(encodeXor(samples, WriterCompatibility.PROMETHEUS_3))).isEqualTo(golden.prometheus3Hex());
  }

  @ParameterizedTest
  @MethodSource("goldens")
  void decodesGoldenVectorsInBothForms(Golden golden) {
    List<FloatSample> samples = pairs(golden.samples());
    assertThat(decodeFloats(XorChunk.of(unhex(golden.prometheus2Hex())))).isEqualTo(samples);
    assertThat(decodeFloats(XorChunk.of(unhex(golden.prometheus3Hex())))).isEqualTo(samples);
  }

  @Test
  void staleNanAndOtherNanPayloadsSurviveBitForBit() {
    List<FloatSample> samples = List.of(
        new FloatSample(1, Double.doubleToRawLongBits(1.5)),
        new FloatSample(2, STALE_NAN),
        new FloatSample(3, NORMAL_NAN),
        new FloatSample(4, 0x7ff0000000000001L),
        new FloatSample(5, 0xfff8000000000000L),
        new FloatSample(6, STALE_NAN));
    XorChunk chunk = XorChunk.of(encodeXor(samples, WriterCompatibility.PROMETHEUS_3));
    assertThat(decodeFloats(chunk)).isEqualTo(samples);
    SampleIterator it = chunk.iterator(null);
    it.seek(2);
    assertThat(Double.doubleToRawLongBits(it.atV())).isEqualTo(STALE_NAN);
  }

  @Test
  void seekFindsFirstSampleAtOrAfterTarget() {
    XorAppender a = new XorAppender();
    for (int i = 0; i < 100; i++) {
      a.append(1000L + 15_000L * i, i);
    }
    SampleIterator it = a.toChunk().iterator(null);
    assertThat(it.seek(1000)).isEqualTo(ValueType.FLOAT);
    assertThat(it.atT()).isEqualTo(1000);
    assertThat(it.seek(500)).isEqualTo(ValueType.FLOAT);
    assertThat(it.atT()).as("seek never moves backwards").isEqualTo(1000);
    assertThat(it.seek(16_001)).isEqualTo(ValueType.FLOAT);
    assertThat(it.atT()).isEqualTo(31_000);
    assertThat(it.atV()).isEqualTo(2.0);
    assertThat(it.next()).isEqualTo(ValueType.FLOAT);
    assertThat(it.atT()).isEqualTo(46_000);
    assertThat(it.seek(1000L + 15_000L * 99)).isEqualTo(ValueType.FLOAT);
    assertThat(it.atV()).isEqualTo(99.0);
    assertThat(it.seek(1000L + 15_000L * 99 + 1)).isEqualTo(ValueType.NONE);
    assertThat(it.next()).isEqualTo(ValueType.NONE);
    assertThat(it.seek(0)).as("stays exhausted").isEqualTo(ValueType.NONE);
  }

  @Test
  void iteratorIsReusedAcrossXorChunks() {
    XorAppender a = new XorAppender();
    a.append(1, 1);
    XorChunk first = a.toChunk();
    a.reset();
    a.append(7, 2);
    a.append(8, 3);
    XorChunk second = a.toChunk();

    SampleIterator it = first.iterator(null);
    assertThat(it.next()).isEqualTo(ValueType.FLOAT);
    SampleIterator again = second.iterator(it);
    assertThat(again).isSameAs(it);
    assertThat(decodeFloats(second)).hasSize(2);
    assertThat(again.next()).isEqualTo(ValueType.FLOAT);
    assertThat(again.atT()).isEqualTo(7);
    assertThat(second.iterator(SampleIterator.empty())).isNotSameAs(SampleIterator.empty());
  }

  @Test
  void resetAppenderProducesSameBytesAsFreshOne() {
    XorAppender reused = new XorAppender();
    for (int i = 0; i < 500; i++) {
      reused.append(i * 10_000L, Math.sqrt(i));
    }
    reused.reset();
    XorAppender fresh = new XorAppender();
    for (int i = 0; i < 50; i++) {
      reused.append(i * 15_000L + (i % 3), i * 0.1);
      fresh.append(i * 15_000L + (i % 3), i * 0.1);
    }
    assertThat(reused.bytes()).isEqualTo(fresh.bytes());
    assertThat(reused.byteLength()).isEqualTo(fresh.bytes().length);
    assertThat(reused.minTimeMillis()).isZero();
    assertThat(reused.maxTimeMillis()).isEqualTo(49 * 15_000L + 1);
  }

  @Test
  void resumedAppenderContinuesByteIdentically() {
    List<FloatSample> samples = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      samples.add(new FloatSample(i * 15_000L + i % 5, Double.doubleToRawLongBits(i < 20 ? 7.0 : i * 1.25)));
    }
    for (int cut = 0; cut <= samples.size(); cut++) {
      XorAppender first = new XorAppender();
      samples.subList(0, cut).forEach(s -> first.appendBits(s.t(), s.bits()));
      XorAppender resumed = XorAppender.resume(first.toChunk(), WriterCompatibility.PROMETHEUS_3);
      samples.subList(cut, samples.size()).forEach(s -> resumed.appendBits(s.t(), s.bits()));
      assertThat(decodeFloats(resumed.toChunk())).as("cut at %s", cut).isEqualTo(samples);
    }
  }

  @Test
  void resumeAfterEqualValuesUsesReaderWindowState() {
    // Two equal values: the writer never opened a window, the reader state is L = T = 0, so the resumed appender writes
    // the next changed value as '10' plus a 64-bit window (FORMATS.md 2.3), not as '11' + L + sig.
    XorAppender a = new XorAppender();
    a.append(0, 1.0);
    a.append(1, 1.0);
    XorAppender resumed = XorAppender.resume(a.toChunk(), WriterCompatibility.PROMETHEUS_3);
    resumed.append(2, 2.0);
    XorAppender fresh = new XorAppender();
    fresh.append(0, 1.0);
    fresh.append(1, 1.0);
    fresh.append(2, 2.0);
    // Stream after the 2-byte header: varint t0 (1 byte), v0 (8 bytes), uvarint delta (1 byte), then '0' for the
    // equal value, '0' for the third sample's dod, then its value: fresh '11' + 5 + 6 + 11 bits (26 bits in all),
    // resumed '10' + 64 bits (68 bits in all).
    assertThat(fresh.byteLength()).isEqualTo(2 + 10 + 4);
    assertThat(resumed.byteLength()).isEqualTo(2 + 10 + 9);
    assertThat(decodeFloats(resumed.toChunk())).isEqualTo(decodeFloats(fresh.toChunk()));
  }

  @Test
  void appendBeyond65535SamplesFails() {
    XorAppender a = new XorAppender();
    for (int i = 0; i < XorChunk.MAX_SAMPLES; i++) {
      a.append(i, 0);
    }
    assertThatThrownBy(() -> a.append(70_000, 0)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("65535");
    assertThat(a.toChunk().numSamples()).isEqualTo(65535);
    assertThat(decodeFloats(a.toChunk())).hasSize(65535);
  }

  @Test
  void truncatedStreamThrowsNamingResourceAndOffset() {
    XorAppender a = new XorAppender();
    for (int i = 0; i < 10; i++) {
      a.append(i * 15_000L, i * 1.5);
    }
    byte[] full = a.bytes();
    ByteBuffer truncated = ByteBuffer.wrap(full, 0, full.length - 1);
    Chunk chunk = Chunk.of(ChunkEncoding.XOR, truncated, "01HXYZ/chunks/000001", 1000);
    SampleIterator it = chunk.iterator(null);
    assertThatThrownBy(() -> {
      while (it.next() != ValueType.NONE) {
        // drain
      }
    }).isInstanceOf(CorruptChunkException.class)
        .hasMessageStartingWith("chunk bit stream truncated in 01HXYZ/chunks/000001 at offset ")
        .hasMessageContaining("of 10");
    assertThat(it.next()).as("an iterator that failed stays exhausted").isEqualTo(ValueType.NONE);
  }

  @Test
  void headerShorterThanTwoBytesIsRejected() {
    assertThatThrownBy(() -> Chunk.of(ChunkEncoding.XOR, ByteBuffer.wrap(new byte[] {1}), "f", 8))
        .isInstanceOf(CorruptDataException.class)
        .hasMessageContaining("XOR chunk shorter than its header in f at offset 8");
  }

  @Test
  void countLargerThanStreamThrowsInsteadOfInventingSamples() {
    Chunk chunk = Chunk.of(ChunkEncoding.XOR, ByteBuffer.wrap(unhex("0003c6aeeba698633ff0000000000000")));
    SampleIterator it = chunk.iterator(null);
    assertThat(it.next()).isEqualTo(ValueType.FLOAT);
    assertThatThrownBy(it::next).isInstanceOf(CorruptChunkException.class);
  }

  @Test
  void aggrEncodingIsUnsupportedAndNamed() {
    assertThatThrownBy(() -> Chunk.of(ChunkEncoding.AGGR, ByteBuffer.allocate(4)))
        .isInstanceOf(OrreryException.class)
        .hasMessageContaining("AGGR (255")
        .extracting(e -> ((OrreryException) e).code()).isEqualTo(OrreryException.ErrorCode.UNSUPPORTED);
  }

  @Test
  void unknownEncodingByteIsCorrupt() {
    assertThatThrownBy(() -> Chunk.of(9, ByteBuffer.allocate(4), "seg", 12))
        .isInstanceOf(CorruptChunkException.class)
        .hasMessage("unknown chunk encoding in seg at offset 12: byte 9 (0x9)");
  }

  @Test
  void bytesIsAReadOnlyViewOfTheData() {
    XorAppender a = new XorAppender();
    a.append(5, 5);
    byte[] data = a.bytes();
    ByteBuffer buf = ByteBuffer.allocate(data.length + 3);
    buf.position(3);
    buf.put(data);
    buf.position(3);
    Chunk chunk = Chunk.of(ChunkEncoding.XOR, buf);
    ByteBuffer view = chunk.bytes();
    assertThat(view.isReadOnly()).isTrue();
    assertThat(view.position()).isZero();
    assertThat(view.remaining()).isEqualTo(data.length);
    assertThat(chunk.encoding()).isEqualTo(ChunkEncoding.XOR);
    assertThat(chunk.numSamples()).isEqualTo(1);
  }
}
