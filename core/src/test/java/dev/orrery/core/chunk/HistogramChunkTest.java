package dev.orrery.core.chunk;

import static dev.orrery.core.chunk.ChunkTestSupport.STALE_NAN;
import static dev.orrery.core.chunk.ChunkTestSupport.hex;
import static dev.orrery.core.chunk.ChunkTestSupport.unhex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orrery.core.histogram.CounterResetHint;
import dev.orrery.core.histogram.FloatHistogram;
import dev.orrery.core.histogram.Histogram;
import dev.orrery.core.histogram.Span;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Histogram chunks (encodings 2 and 3). The golden vectors come from the independent model of Prometheus' writer
 * described in {@link XorGoldenVectors}, extended with FORMATS.md 2.5-2.7.
 */
class HistogramChunkTest {
  static final double DEFAULT_ZERO_THRESHOLD = Math.scalb(1.0, -128);
  static final double STALE = Double.longBitsToDouble(STALE_NAN);

  static Histogram hist(CounterResetHint hint, int schema, double zt, long zeroCount, long count, double sum,
      Span[] pSpans, long[] p, Span[] nSpans, long[] n, double[] custom) {
    return new Histogram(hint, schema, zt, zeroCount, count, sum, pSpans, p, nSpans, n, custom);
  }

  static Histogram staleHistogram() {
    return hist(CounterResetHint.UNKNOWN, 0, 0, 0, 0, STALE, new Span[0], new long[0], new Span[0], new long[0],
        new double[0]);
  }

  /** Every field, arrays by content and doubles by raw bits, for comparisons. */
  static String describe(Histogram h) {
    return h.counterResetHint() + " schema=" + h.schema() + " zt=" + bits(h.zeroThreshold()) + " zc=" + h.zeroCount()
        + " c=" + h.count() + " sum=" + bits(h.sum()) + " p=" + Arrays.toString(h.positiveSpans())
        + Arrays.toString(h.positiveBucketDeltas()) + " n=" + Arrays.toString(h.negativeSpans())
        + Arrays.toString(h.negativeBucketDeltas()) + " cv=" + bitsOf(h.customValues());
  }

  static String describe(FloatHistogram h) {
    return h.counterResetHint() + " schema=" + h.schema() + " zt=" + bits(h.zeroThreshold()) + " zc="
        + bits(h.zeroCount()) + " c=" + bits(h.count()) + " sum=" + bits(h.sum()) + " p="
        + Arrays.toString(h.positiveSpans()) + bitsOf(h.positiveBuckets()) + " n=" + Arrays.toString(h.negativeSpans())
        + bitsOf(h.negativeBuckets()) + " cv=" + bitsOf(h.customValues());
  }

  private static String bits(double d) {
    return Long.toHexString(Double.doubleToRawLongBits(d));
  }

  private static String bitsOf(double[] values) {
    StringBuilder sb = new StringBuilder("[");
    for (double v : values) {
      sb.append(bits(v)).append(',');
    }
    return sb.append(']').toString();
  }

  static List<String> decodeHistograms(Chunk chunk) {
    List<String> out = new ArrayList<>();
    SampleIterator it = chunk.iterator(null);
    ValueType type;
    while ((type = it.next()) != ValueType.NONE) {
      out.add(it.atT() + " " + (type == ValueType.HISTOGRAM ? describe(it.atHistogram())
          : describe(it.atFloatHistogram())));
    }
    return out;
  }

  static Span[] spans(int... offsetLength) {
    Span[] out = new Span[offsetLength.length / 2];
    for (int i = 0; i < out.length; i++) {
      out[i] = new Span(offsetLength[2 * i], offsetLength[2 * i + 1]);
    }
    return out;
  }

  @Test
  void minimalChunkMatchesGoldenBytes() {
    HistogramAppender a = new HistogramAppender();
    assertThat(a.append(1000, hist(CounterResetHint.UNKNOWN, 0, 0, 0, 0, 0.0, new Span[0], new long[0], new Span[0],
        new long[0], new double[0]))).isTrue();
    assertThat(hex(a.bytes())).isEqualTo("000100001e3e800000000000000000");
  }

  @Test
  void integerHistogramChunkMatchesGoldenBytesAndDecodes() {
    Span[] p = spans(-2, 2, 3, 3);
    Span[] n = spans(0, 1);
    List<Histogram> input = List.of(
        hist(CounterResetHint.NOT_COUNTER_RESET, 3, DEFAULT_ZERO_THRESHOLD, 2, 10, 12.5, p, new long[] {1, 2, -1, 0, 3},
            n, new long[] {5}, new double[0]),
        hist(CounterResetHint.NOT_COUNTER_RESET, 3, DEFAULT_ZERO_THRESHOLD, 3, 14, 20.25, p,
            new long[] {2, 2, -1, 1, 3}, n, new long[] {5}, new double[0]),
        hist(CounterResetHint.NOT_COUNTER_RESET, 3, DEFAULT_ZERO_THRESHOLD, 3, 20, 33.0, p,
            new long[] {3, 3, -1, 1, 4}, n, new long[] {6}, new double[0]),
        staleHistogram());
    long[] times = {1700000000000L, 1700000015000L, 1700000030007L, 1700000045007L};
    HistogramAppender a = new HistogramAppender();
    for (int i = 0; i < input.size(); i++) {
      assertThat(a.append(times[i], input.get(i))).as("sample %s", i).isTrue();
    }
    String golden = "000440749ca569ce317f0000c5e7f2b40062a48052000000000001195d3c2fc1d4c523ac7eb12261e57d24f4d15e31dc9"
        + "8bdfec2000000000008";
    assertThat(hex(a.bytes())).isEqualTo(golden);

    HistogramChunk chunk = new HistogramChunk(ByteBuffer.wrap(unhex(golden)));
    assertThat(chunk.counterResetHeader()).isEqualTo(CounterResetHint.NOT_COUNTER_RESET);
    List<String> expected = new ArrayList<>();
    CounterResetHint[] hints = {CounterResetHint.UNKNOWN, CounterResetHint.NOT_COUNTER_RESET,
        CounterResetHint.NOT_COUNTER_RESET, CounterResetHint.UNKNOWN};
    for (int i = 0; i < input.size(); i++) {
      Histogram h = input.get(i);
      expected.add(times[i] + " " + describe(hist(hints[i], h.schema(), h.zeroThreshold(), h.zeroCount(), h.count(),
          h.sum(), h.positiveSpans(), h.positiveBucketDeltas(), h.negativeSpans(), h.negativeBucketDeltas(),
          h.customValues())));
    }
    assertThat(decodeHistograms(chunk)).containsExactlyElementsOf(expected);
  }

  @Test
  void customBucketChunkMatchesGoldenBytes() {
    Span[] p = spans(0, 4);
    double[] bounds = {0.1, 0.25, 1.0, 1e9};
    HistogramAppender a = new HistogramAppender();
    a.append(5, hist(CounterResetHint.COUNTER_RESET, -53, 0, 0, 3, 1.5, p, new long[] {1, 1, 0, 1}, new Span[0],
        new long[0], bounds));
    a.append(10, hist(CounterResetHint.NOT_COUNTER_RESET, -53, 0, 0, 5, 2.5, p, new long[] {2, 1, 0, 1}, new Span[0],
        new long[0], bounds));
    assertThat(hex(a.bytes()))
        .isEqualTo("00028000ee5c68538cbcfbf1f4907373594000000030b31ffc0000000000004628e164c26fffe200");
    SampleIterator it = a.toChunk().iterator(null);
    assertThat(it.next()).isEqualTo(ValueType.HISTOGRAM);
    Histogram first = it.atHistogram();
    assertThat(first.counterResetHint()).isEqualTo(CounterResetHint.COUNTER_RESET);
    assertThat(first.customValues()).containsExactly(bounds);
    FloatHistogram asFloat = it.atFloatHistogram();
    assertThat(asFloat.positiveBuckets()).containsExactly(1, 2, 2, 3);
  }

  @Test
  void floatHistogramChunkMatchesGoldenBytesAndDecodes() {
    Span[] p = spans(0, 2);
    FloatHistogramAppender a = new FloatHistogramAppender();
    a.append(100, new FloatHistogram(CounterResetHint.GAUGE, 1, 0.001, 0.5, 3.0, 7.25, p, new double[] {1.0, 1.5},
        new Span[0], new double[0], new double[0]));
    a.append(200, new FloatHistogram(CounterResetHint.GAUGE, 1, 0.001, 0.5, 5.0, 9.75, p, new double[] {2.0, 2.5},
        new Span[0], new double[0], new double[0]));
    a.append(300, new FloatHistogram(CounterResetHint.UNKNOWN, 0, 0, 0, 0, STALE, new Span[0], new double[0],
        new Span[0], new double[0], new double[0]));
    String golden = "0003c0ff3f50624dd2f1a9fc8c6471910020000000000000ff800000000000010074000000000000ffc0000000000000"
        + "ffe00000000000038c9ac3ed43fdc25fffc26fffd84d802e227ff8bdff4e000000000008";
    assertThat(hex(a.bytes())).isEqualTo(golden);
    FloatHistogramChunk chunk = new FloatHistogramChunk(ByteBuffer.wrap(unhex(golden)));
    assertThat(chunk.counterResetHeader()).isEqualTo(CounterResetHint.GAUGE);
    List<String> decoded = decodeHistograms(chunk);
    assertThat(decoded).hasSize(3);
    assertThat(decoded.get(1)).isEqualTo("200 " + describe(new FloatHistogram(CounterResetHint.GAUGE, 1, 0.001, 0.5,
        5.0, 9.75, p, new double[] {2.0, 2.5}, new Span[0], new double[0], new double[0])));
    assertThat(decoded.get(2)).isEqualTo("300 " + describe(new FloatHistogram(CounterResetHint.UNKNOWN, 0, 0, 0, 0,
        STALE, new Span[0], new double[0], new Span[0], new double[0], new double[0])));
  }

  @Test
  void zeroThresholdUsesOneByteForPowersOfTwoInRange() {
    Object[][] cases = {{0.0, "00"}, {-0.0, "00"}, {Math.scalb(1.0, -128), "74"}, {Math.scalb(1.0, 10), "fe"},
        {Math.scalb(1.0, -243), "01"}, {0.5, "f3"}, {1.0, "f4"},
        {Math.scalb(1.0, 11), "ff40a0000000000000"}, {Math.scalb(1.0, -244), "ff30b0000000000000"},
        {0.001, "ff3f50624dd2f1a9fc"}, {-0.5, "ffbfe0000000000000"}, {Double.MIN_VALUE, "ff0000000000000001"}};
    for (Object[] c : cases) {
      BitWriter w = new BitWriter(0);
      HistogramChunkLayout.writeZeroThreshold(w, (double) c[0]);
      assertThat(hex(w.toByteArray())).as("threshold %s", c[0]).isEqualTo(c[1]);
      byte[] bytes = w.toByteArray();
      BitReader r = new BitReader().reset(bytes, 0, bytes.length, "t", -1);
      assertThat(HistogramChunkLayout.readZeroThreshold(r)).isEqualTo(Math.abs((double) c[0]) == 0 ? 0.0 : c[0]);
    }
  }

  @Test
  void customBoundsRoundTripWithPrometheusPrecisionRules() {
    double[] bounds = {0.0, 0.001, 0.1, 33554.43, 33554.431, 1e9, -1.0, Double.NaN, Double.POSITIVE_INFINITY,
        0.30000000000000004};
    int[] expectedBits = {5, 5, 13, 32, 65, 65, 65, 65, 65, 65};
    for (int i = 0; i < bounds.length; i++) {
      BitWriter w = new BitWriter(0);
      HistogramChunkLayout.writeCustomBound(w, bounds[i]);
      assertThat(w.bitLength()).as("bound %s", bounds[i]).isEqualTo(expectedBits[i]);
      byte[] bytes = w.toByteArray();
      BitReader r = new BitReader().reset(bytes, 0, bytes.length, "t", -1);
      assertThat(Double.doubleToRawLongBits(HistogramChunkLayout.readCustomBound(r)))
          .isEqualTo(Double.doubleToRawLongBits(bounds[i]));
    }
    BitWriter w = new BitWriter(0);
    HistogramChunkLayout.writeCustomBound(w, -0.0);
    assertThat(w.bitLength()).as("-0.0 is stored as 0 like in Prometheus").isEqualTo(5);
  }

  @Test
  void samplesThatNeedANewChunkAreRefused() {
    Span[] p = spans(0, 2);
    Histogram base = hist(CounterResetHint.UNKNOWN, 0, DEFAULT_ZERO_THRESHOLD, 1, 10, 5, p, new long[] {4, 1},
        new Span[0], new long[0], new double[0]);
    HistogramAppender a = new HistogramAppender();
    assertThat(a.append(0, base)).isTrue();
    int length = a.byteLength();
    assertThat(a.append(1, hist(CounterResetHint.UNKNOWN, 1, DEFAULT_ZERO_THRESHOLD, 1, 10, 5, p, new long[] {4, 1},
        new Span[0], new long[0], new double[0]))).as("schema change").isFalse();
    assertThat(a.append(1, hist(CounterResetHint.UNKNOWN, 0, DEFAULT_ZERO_THRESHOLD, 1, 10, 5, spans(0, 3),
        new long[] {4, 1, 0}, new Span[0], new long[0], new double[0]))).as("span change").isFalse();
    assertThat(a.append(1, hist(CounterResetHint.UNKNOWN, 0, DEFAULT_ZERO_THRESHOLD, 1, 9, 5, p, new long[] {4, 1},
        new Span[0], new long[0], new double[0]))).as("count went down").isFalse();
    assertThat(a.append(1, hist(CounterResetHint.UNKNOWN, 0, DEFAULT_ZERO_THRESHOLD, 1, 10, 5, p, new long[] {5, -1},
        new Span[0], new long[0], new double[0]))).as("second bucket went from 5 to 4").isFalse();
    assertThat(a.append(1, hist(CounterResetHint.COUNTER_RESET, 0, DEFAULT_ZERO_THRESHOLD, 1, 10, 5, p,
        new long[] {4, 1}, new Span[0], new long[0], new double[0]))).as("explicit reset").isFalse();
    assertThat(a.append(1, hist(CounterResetHint.GAUGE, 0, DEFAULT_ZERO_THRESHOLD, 1, 10, 5, p, new long[] {4, 1},
        new Span[0], new long[0], new double[0]))).as("gauge into counter chunk").isFalse();
    assertThat(a.byteLength()).as("refused samples write nothing").isEqualTo(length);
    assertThat(a.numSamples()).isEqualTo(1);
    assertThat(a.append(2, staleHistogram())).isTrue();
    assertThat(a.append(3, base)).as("only stale markers after a stale marker").isFalse();
    assertThat(a.append(3, staleHistogram())).isTrue();

    HistogramAppender gauge = new HistogramAppender();
    gauge.append(0, hist(CounterResetHint.GAUGE, 0, 0, 5, 10, 5, p, new long[] {4, 1}, new Span[0], new long[0],
        new double[0]));
    assertThat(gauge.counterResetHeader()).isEqualTo(CounterResetHint.GAUGE);
    assertThat(gauge.append(1, hist(CounterResetHint.GAUGE, 0, 0, 1, 2, -5, p, new long[] {1, -1}, new Span[0],
        new long[0], new double[0]))).as("gauges may go down").isTrue();
  }

  @Test
  void counterResetHeaderCanBeSetExplicitly() {
    HistogramAppender a = new HistogramAppender();
    a.counterResetHeader(CounterResetHint.COUNTER_RESET);
    a.append(0, hist(CounterResetHint.UNKNOWN, 0, 0, 0, 1, 1, new Span[0], new long[0], new Span[0], new long[0],
        new double[0]));
    HistogramChunk chunk = (HistogramChunk) a.toChunk();
    assertThat(chunk.counterResetHeader()).isEqualTo(CounterResetHint.COUNTER_RESET);
    assertThat(a.bytes()[2] & 0xFF).isEqualTo(0x80);
    SampleIterator it = chunk.iterator(null);
    it.next();
    assertThat(it.atHistogram().counterResetHint()).isEqualTo(CounterResetHint.COUNTER_RESET);
  }

  @Test
  void layoutCountsBeyondTheStreamAreCorruptNotAllocated() {
    // zero threshold 0, schema 0, then a positive span count of 2^56 - 1 ('11111110' + 56 ones).
    BitWriter w = new BitWriter(HistogramChunk.HEADER_BYTES);
    w.setHeaderByte(1, 1);
    w.writeByte(0);
    w.writeVarbitInt(0);
    w.writeVarbitUint((1L << 56) - 1);
    byte[] bytes = w.toByteArray();
    SampleIterator it = Chunk.of(ChunkEncoding.HISTOGRAM, ByteBuffer.wrap(bytes), "blk/chunks/000001", 64)
        .iterator(null);
    assertThatThrownBy(it::next).isInstanceOf(CorruptChunkException.class)
        .hasMessageContaining("corrupt histogram chunk layout in blk/chunks/000001 at offset")
        .hasMessageContaining("span count 72057594037927935");
  }

  @Test
  void iteratorsAreReusedPerEncoding() {
    HistogramAppender a = new HistogramAppender();
    a.append(0, staleHistogram());
    Chunk chunk = a.toChunk();
    SampleIterator it = chunk.iterator(null);
    assertThat(chunk.iterator(it)).isSameAs(it);
    FloatHistogramAppender f = new FloatHistogramAppender();
    f.append(0, new FloatHistogram(CounterResetHint.UNKNOWN, 0, 0, 0, 0, STALE, new Span[0], new double[0],
        new Span[0], new double[0], new double[0]));
    assertThat(f.toChunk().iterator(it)).isNotSameAs(it);
  }
}
