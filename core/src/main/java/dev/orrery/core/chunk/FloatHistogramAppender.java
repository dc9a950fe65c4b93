package dev.orrery.core.chunk;

import static java.util.Objects.requireNonNull;

import dev.orrery.core.histogram.CounterResetHint;
import dev.orrery.core.histogram.FloatHistogram;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Encodes float native histograms into a float histogram chunk (encoding 3, FORMATS.md 2.7) with the same writes as
 * Prometheus' {@code FloatHistogramAppender}: sample 0 as raw 64-bit fields, later samples XOR-coded field by field,
 * each field with its own window.
 *
 * <p>The rules for what fits a chunk are those of {@link HistogramAppender}: {@link #append} returns {@code false} and
 * writes nothing when the layout differs, on a counter reset in a counter chunk (a count, zero count or bucket below
 * the previous one, or hint {@link CounterResetHint#COUNTER_RESET}), on a gauge/counter mismatch, after a stale marker,
 * or when the chunk is full; the caller then starts a new chunk.
 *
 * <p>Confined to one thread; {@link #reset()} makes it reusable.
 */
public final class FloatHistogramAppender {
  private static final long STALE_NAN = 0x7ff0000000000002L;
  private static final int COUNT = 0;
  private static final int ZERO_COUNT = 1;
  private static final int SUM = 2;
  private static final int FIRST_BUCKET = 3;

  private final BitWriter writer;
  private final boolean startTimestamps;
  private final StartTimestampEncoder stEncoder = new StartTimestampEncoder();
  private int num;
  private CounterResetHint header = CounterResetHint.UNKNOWN;
  private boolean headerSet;
  private HistogramChunkLayout layout = HistogramChunkLayout.EMPTY;
  private long firstT;
  private long t;
  private long tDelta;
  /** Raw bits of count, zero count, sum and every bucket of the previous sample; two window ints per field. */
  private long[] fields = new long[FIRST_BUCKET];
  private int[] windows = new int[2 * FIRST_BUCKET];

  /** An empty chunk in Prometheus 3.x form. */
  public FloatHistogramAppender() {
    this(WriterCompatibility.PROMETHEUS_3);
  }

  /** An empty chunk in the form written by {@code compatibility}. */
  public FloatHistogramAppender(WriterCompatibility compatibility) {
    this(compatibility, false);
  }

  /** With {@code startTimestamps}, writes the ST variant (encoding 6) instead; see {@link FloatHistogramStChunk}. */
  FloatHistogramAppender(WriterCompatibility compatibility, boolean startTimestamps) {
    this.writer = new BitWriter(FloatHistogramChunk.HEADER_BYTES,
        requireNonNull(compatibility, "compatibility is null"));
    this.startTimestamps = startTimestamps;
  }

  /** Sets the counter-reset header instead of taking it from the first sample's hint. */
  public void counterResetHeader(CounterResetHint hint) {
    header = requireNonNull(hint, "hint is null");
    headerSet = true;
  }

  /** The counter-reset header the chunk will carry. */
  public CounterResetHint counterResetHeader() {
    return header;
  }

  /**
   * Appends a sample if it fits this chunk (see the class comment).
   *
   * @return {@code false}, having written nothing, if the caller must start a new chunk for {@code h}
   */
  public boolean append(long t, FloatHistogram h) {
    return append(0, t, h);
  }

  /** Appends a sample with start timestamp {@code st} (written only by the ST variant). */
  boolean append(long st, long t, FloatHistogram h) {
    requireNonNull(h, "h is null");
    boolean stale = Double.doubleToRawLongBits(h.sum()) == STALE_NAN;
    if (num == 0) {
      appendFirst(t, h, stale);
    } else {
      if (!fits(h, stale)) {
        return false;
      }
      appendNext(t, h, stale);
    }
    if (startTimestamps) {
      stEncoder.write(writer, 2, num, t, num == 0 ? t : this.t, st);
    }
    if (num == 0) {
      firstT = t;
    }
    this.t = t;
    num++;
    return true;
  }

  private boolean fits(FloatHistogram h, boolean stale) {
    if (num == (startTimestamps ? FloatHistogramStChunk.MAX_SAMPLES : FloatHistogramChunk.MAX_SAMPLES)) {
      return false;
    }
    if (stale) {
      return true;
    }
    if (fields[SUM] == STALE_NAN) {
      return false;
    }
    boolean gauge = header == CounterResetHint.GAUGE;
    if (gauge != (h.counterResetHint() == CounterResetHint.GAUGE)) {
      return false;
    }
    if (!gauge && h.counterResetHint() == CounterResetHint.COUNTER_RESET) {
      return false;
    }
    if (!layout.matches(h.schema(), h.zeroThreshold(), h.positiveSpans(), h.negativeSpans(), h.customValues())) {
      return false;
    }
    checkBucketCounts(h);
    if (!gauge) {
      if (h.count() < value(COUNT) || h.zeroCount() < value(ZERO_COUNT)) {
        return false;
      }
      double[] p = h.positiveBuckets();
      for (int i = 0; i < p.length; i++) {
        if (p[i] < value(FIRST_BUCKET + i)) {
          return false;
        }
      }
      double[] n = h.negativeBuckets();
      for (int i = 0; i < n.length; i++) {
        if (n[i] < value(FIRST_BUCKET + p.length + i)) {
          return false;
        }
      }
    }
    return true;
  }

  private double value(int field) {
    return Double.longBitsToDouble(fields[field]);
  }

  private void checkBucketCounts(FloatHistogram h) {
    if (h.positiveBuckets().length != layout.positiveBuckets()
        || h.negativeBuckets().length != layout.negativeBuckets()) {
      throw new IllegalArgumentException("bucket counts do not match the spans: " + h.positiveBuckets().length
          + " positive and " + h.negativeBuckets().length + " negative buckets for " + layout.positiveBuckets()
          + " and " + layout.negativeBuckets());
    }
  }

  private void appendFirst(long t, FloatHistogram h, boolean stale) {
    if (!headerSet) {
      header = h.counterResetHint() == null ? CounterResetHint.UNKNOWN : h.counterResetHint();
    }
    if (stale) {
      layout = HistogramChunkLayout.EMPTY;
    } else {
      layout = HistogramChunkLayout.of(h.schema(), h.zeroThreshold(), h.positiveSpans(), h.negativeSpans(),
          h.customValues());
      checkBucketCounts(h);
    }
    int n = FIRST_BUCKET + layout.positiveBuckets() + layout.negativeBuckets();
    if (fields.length < n) {
      fields = new long[n];
      windows = new int[2 * n];
    }
    for (int i = 0; i < n; i++) {
      windows[2 * i] = BitWriter.XOR_UNSET;
      windows[2 * i + 1] = 0;
    }
    BitWriter w = writer;
    layout.write(w);
    w.writeVarbitInt(t);
    fields[COUNT] = stale ? 0 : Double.doubleToRawLongBits(h.count());
    fields[ZERO_COUNT] = stale ? 0 : Double.doubleToRawLongBits(h.zeroCount());
    fields[SUM] = Double.doubleToRawLongBits(h.sum());
    if (!stale) {
      copyBuckets(h);
    }
    for (int i = 0; i < n; i++) {
      w.writeBits(fields[i], 64);
    }
    tDelta = 0;
  }

  private void copyBuckets(FloatHistogram h) {
    double[] p = h.positiveBuckets();
    double[] neg = h.negativeBuckets();
    for (int i = 0; i < p.length; i++) {
      fields[FIRST_BUCKET + i] = Double.doubleToRawLongBits(p[i]);
    }
    for (int i = 0; i < neg.length; i++) {
      fields[FIRST_BUCKET + p.length + i] = Double.doubleToRawLongBits(neg[i]);
    }
  }

  private void appendNext(long t, FloatHistogram h, boolean stale) {
    BitWriter w = writer;
    long newTDelta = t - this.t;
    w.writeVarbitInt(newTDelta - tDelta);
    tDelta = newTDelta;
    writeField(w, COUNT, stale ? 0 : Double.doubleToRawLongBits(h.count()));
    writeField(w, ZERO_COUNT, stale ? 0 : Double.doubleToRawLongBits(h.zeroCount()));
    writeField(w, SUM, Double.doubleToRawLongBits(h.sum()));
    if (!stale) {
      double[] p = h.positiveBuckets();
      double[] neg = h.negativeBuckets();
      for (int i = 0; i < p.length; i++) {
        writeField(w, FIRST_BUCKET + i, Double.doubleToRawLongBits(p[i]));
      }
      for (int i = 0; i < neg.length; i++) {
        writeField(w, FIRST_BUCKET + p.length + i, Double.doubleToRawLongBits(neg[i]));
      }
    }
  }

  private void writeField(BitWriter w, int field, long bits) {
    w.writeXorValue(bits, fields[field], windows, 2 * field);
    fields[field] = bits;
  }

  /** Number of samples appended. */
  public int numSamples() {
    return num;
  }

  /** Timestamp of the first sample. */
  public long minTimeMillis() {
    checkNotEmpty();
    return firstT;
  }

  /** Timestamp of the last sample. */
  public long maxTimeMillis() {
    checkNotEmpty();
    return t;
  }

  private void checkNotEmpty() {
    if (num == 0) {
      throw new IllegalStateException("no samples appended");
    }
  }

  /** Length of {@link #bytes()}. */
  public int byteLength() {
    return writer.byteLength();
  }

  /** A new array with the chunk data: header and bit stream. */
  public byte[] bytes() {
    int headerBits = CounterResetHeader.encode(header);
    if (startTimestamps) {
      writer.setHeaderByte(0, headerBits | (num >>> 8));
      writer.setHeaderByte(1, num);
    } else {
      writer.setHeaderByte(0, num >>> 8);
      writer.setHeaderByte(1, num);
      writer.setHeaderByte(2, headerBits);
    }
    return writer.toByteArray();
  }

  /** The chunk so far, over a copy of its bytes. */
  public Chunk toChunk() {
    ByteBuffer data = ByteBuffer.wrap(bytes());
    return startTimestamps ? new FloatHistogramStChunk(data) : new FloatHistogramChunk(data);
  }

  /** Empties the chunk for reuse. */
  public void reset() {
    writer.reset();
    stEncoder.reset();
    num = 0;
    header = CounterResetHint.UNKNOWN;
    headerSet = false;
    layout = HistogramChunkLayout.EMPTY;
    firstT = 0;
    t = 0;
    tDelta = 0;
    Arrays.fill(fields, 0);
  }
}
