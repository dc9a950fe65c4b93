package dev.orrery.core.chunk;

import static java.util.Objects.requireNonNull;

import dev.orrery.core.histogram.CounterResetHint;
import dev.orrery.core.histogram.Histogram;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Encodes integer native histograms into a histogram chunk (encoding 2, FORMATS.md 2.6) with the same writes as
 * Prometheus' {@code HistogramAppender}.
 *
 * <p>The first sample fixes the chunk's bucket layout (schema, zero threshold, spans, custom bounds) and, unless
 * {@link #counterResetHeader(CounterResetHint)} was called, the counter-reset header from its hint. A later sample is
 * appended only if it fits; {@link #append} returns {@code false} and writes nothing otherwise, and the caller starts a
 * new chunk. A sample does not fit when its layout differs (this appender does not re-code buckets the way
 * Prometheus' head does when spans grow), when it is a counter reset (hint {@link CounterResetHint#COUNTER_RESET}, or a
 * count, zero count or bucket below the previous sample's) in a counter chunk, when it is a gauge in a counter chunk or
 * the reverse, when it follows a stale marker without being one, or when the chunk is full. Stale markers (sum =
 * stale NaN) always fit and carry no buckets.
 *
 * <p>Confined to one thread; {@link #reset()} makes it reusable.
 */
public final class HistogramAppender {
  private static final long STALE_NAN = 0x7ff0000000000002L;

  private final BitWriter writer;
  private final boolean startTimestamps;
  private final StartTimestampEncoder stEncoder = new StartTimestampEncoder();
  private final int[] sumWindow = {BitWriter.XOR_UNSET, 0};
  private int num;
  private CounterResetHint header = CounterResetHint.UNKNOWN;
  private boolean headerSet;
  private HistogramChunkLayout layout = HistogramChunkLayout.EMPTY;
  private long firstT;
  private long t;
  private long tDelta;
  private long count;
  private long countDelta;
  private long zeroCount;
  private long zeroCountDelta;
  private long sumBits;
  private long[] buckets = new long[0];
  private long[] bucketDeltas = new long[0];

  /** An empty chunk in Prometheus 3.x form. */
  public HistogramAppender() {
    this(WriterCompatibility.PROMETHEUS_3);
  }

  /** An empty chunk in the form written by {@code compatibility}. */
  public HistogramAppender(WriterCompatibility compatibility) {
    this(compatibility, false);
  }

  /** With {@code startTimestamps}, writes the ST variant (encoding 5) instead; see {@link HistogramStChunk}. */
  HistogramAppender(WriterCompatibility compatibility, boolean startTimestamps) {
    this.writer = new BitWriter(HistogramChunk.HEADER_BYTES, requireNonNull(compatibility, "compatibility is null"));
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
  public boolean append(long t, Histogram h) {
    return append(0, t, h);
  }

  /** Appends a sample with start timestamp {@code st} (written only by the ST variant). */
  boolean append(long st, long t, Histogram h) {
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

  private boolean fits(Histogram h, boolean stale) {
    if (num == maxSamples()) {
      return false;
    }
    if (stale) {
      return true;
    }
    if (sumBits == STALE_NAN) {
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
    if (h.positiveBucketDeltas().length != layout.positiveBuckets()
        || h.negativeBucketDeltas().length != layout.negativeBuckets()) {
      throw new IllegalArgumentException("bucket counts do not match the spans");
    }
    if (!gauge) {
      if (Long.compareUnsigned(h.count(), count) < 0 || Long.compareUnsigned(h.zeroCount(), zeroCount) < 0) {
        return false;
      }
      if (decreases(h.positiveBucketDeltas(), 0) || decreases(h.negativeBucketDeltas(), layout.positiveBuckets())) {
        return false;
      }
    }
    return true;
  }

  /** Whether any absolute bucket count goes down against the previous sample (buckets are stored as deltas). */
  private boolean decreases(long[] deltas, int from) {
    long now = 0;
    long before = 0;
    for (int i = 0; i < deltas.length; i++) {
      now += deltas[i];
      before += buckets[from + i];
      if (now < before) {
        return true;
      }
    }
    return false;
  }

  private void appendFirst(long t, Histogram h, boolean stale) {
    if (!headerSet) {
      header = h.counterResetHint() == null ? CounterResetHint.UNKNOWN : h.counterResetHint();
    }
    if (stale) {
      layout = HistogramChunkLayout.EMPTY;
    } else {
      layout = HistogramChunkLayout.of(h.schema(), h.zeroThreshold(), h.positiveSpans(), h.negativeSpans(),
          h.customValues());
      if (h.positiveBucketDeltas().length != layout.positiveBuckets()
          || h.negativeBucketDeltas().length != layout.negativeBuckets()) {
        throw new IllegalArgumentException("bucket counts do not match the spans: " + h.positiveBucketDeltas().length
            + " positive and " + h.negativeBucketDeltas().length + " negative buckets for "
            + layout.positiveBuckets() + " and " + layout.negativeBuckets());
      }
    }
    int n = layout.positiveBuckets() + layout.negativeBuckets();
    if (buckets.length < n) {
      buckets = new long[n];
      bucketDeltas = new long[n];
    }
    Arrays.fill(bucketDeltas, 0, n, 0);
    BitWriter w = writer;
    layout.write(w);
    long c = stale ? 0 : h.count();
    long z = stale ? 0 : h.zeroCount();
    w.writeVarbitInt(t);
    w.writeVarbitUint(c);
    w.writeVarbitUint(z);
    w.writeBits(Double.doubleToRawLongBits(h.sum()), 64);
    if (!stale) {
      int p = layout.positiveBuckets();
      for (int i = 0; i < p; i++) {
        w.writeVarbitInt(h.positiveBucketDeltas()[i]);
        buckets[i] = h.positiveBucketDeltas()[i];
      }
      for (int i = 0; i < layout.negativeBuckets(); i++) {
        w.writeVarbitInt(h.negativeBucketDeltas()[i]);
        buckets[p + i] = h.negativeBucketDeltas()[i];
      }
    }
    tDelta = 0;
    count = c;
    countDelta = 0;
    zeroCount = z;
    zeroCountDelta = 0;
    sumBits = Double.doubleToRawLongBits(h.sum());
  }

  private void appendNext(long t, Histogram h, boolean stale) {
    BitWriter w = writer;
    long c = stale ? 0 : h.count();
    long z = stale ? 0 : h.zeroCount();
    long newTDelta = t - this.t;
    long newCountDelta = c - count;
    long newZeroCountDelta = z - zeroCount;
    w.writeVarbitInt(newTDelta - tDelta);
    w.writeVarbitInt(stale ? 0 : newCountDelta - countDelta);
    w.writeVarbitInt(stale ? 0 : newZeroCountDelta - zeroCountDelta);
    long newSum = Double.doubleToRawLongBits(h.sum());
    w.writeXorValue(newSum, sumBits, sumWindow, 0);
    if (!stale) {
      int p = layout.positiveBuckets();
      writeBuckets(w, h.positiveBucketDeltas(), 0);
      writeBuckets(w, h.negativeBucketDeltas(), p);
    }
    tDelta = newTDelta;
    count = c;
    countDelta = newCountDelta;
    zeroCount = z;
    zeroCountDelta = newZeroCountDelta;
    sumBits = newSum;
  }

  private void writeBuckets(BitWriter w, long[] values, int from) {
    for (int i = 0; i < values.length; i++) {
      long delta = values[i] - buckets[from + i];
      w.writeVarbitInt(delta - bucketDeltas[from + i]);
      bucketDeltas[from + i] = delta;
      buckets[from + i] = values[i];
    }
  }

  private int maxSamples() {
    return startTimestamps ? HistogramStChunk.MAX_SAMPLES : HistogramChunk.MAX_SAMPLES;
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
    return startTimestamps ? new HistogramStChunk(data) : new HistogramChunk(data);
  }

  /** Empties the chunk for reuse. */
  public void reset() {
    writer.reset();
    stEncoder.reset();
    sumWindow[0] = BitWriter.XOR_UNSET;
    sumWindow[1] = 0;
    num = 0;
    header = CounterResetHint.UNKNOWN;
    headerSet = false;
    layout = HistogramChunkLayout.EMPTY;
    firstT = 0;
    t = 0;
    tDelta = 0;
    count = 0;
    countDelta = 0;
    zeroCount = 0;
    zeroCountDelta = 0;
    sumBits = 0;
  }
}
