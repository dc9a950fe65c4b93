package dev.orrery.core.chunk;

import static java.util.Objects.requireNonNull;

import dev.orrery.core.histogram.CounterResetHint;
import dev.orrery.core.histogram.NativeHistogram;
import java.nio.ByteBuffer;

/**
 * What the integer and float histogram appenders share (FORMATS.md 2.6 to 2.8): the chunk header, the counter-reset
 * header taken from the first sample, the bucket layout it fixes, the rules for what fits the chunk, the timestamp
 * double-delta, and the optional start timestamp after each sample. Subclasses write the sample fields of their
 * encoding.
 *
 * <p>A later sample is appended only if it fits; {@link #append} returns {@code false} and writes nothing otherwise,
 * and the caller starts a new chunk. A sample does not fit when its layout differs (buckets are not re-coded the way
 * Prometheus' head does when spans grow), when it is a counter reset (hint {@link CounterResetHint#COUNTER_RESET}, or
 * a count, zero count or bucket below the previous sample's) in a counter chunk, when it is a gauge in a counter chunk
 * or the reverse, when it follows a stale marker without being one, or when the chunk is full. Stale markers (sum =
 * stale NaN) always fit and carry no buckets.
 *
 * <p>Confined to one thread; {@link #reset()} makes it reusable.
 *
 * @param <H> the sample type
 */
public abstract sealed class NativeHistogramAppender<H extends NativeHistogram>
    permits HistogramAppender, FloatHistogramAppender {
  static final long STALE_NAN = StreamSampleIterator.STALE_NAN;

  final BitWriter writer;
  private final boolean startTimestamps;
  private final StartTimestampEncoder stEncoder = new StartTimestampEncoder();
  private int num;
  private CounterResetHint header = CounterResetHint.UNKNOWN;
  private boolean headerSet;
  HistogramChunkLayout layout = HistogramChunkLayout.EMPTY;
  private long firstT;
  private long t;
  private long tDelta;

  NativeHistogramAppender(WriterCompatibility compatibility, boolean startTimestamps) {
    this.writer = new BitWriter(NativeHistogramChunk.HEADER_BYTES,
        requireNonNull(compatibility, "compatibility is null"));
    this.startTimestamps = startTimestamps;
  }

  /** Writes sample 0's fields after its timestamp; a stale sample has no buckets. */
  abstract void writeFirst(H h, boolean stale);

  /** Writes a later sample's fields after its timestamp; a stale sample has no buckets. */
  abstract void writeNext(H h, boolean stale);

  /** Whether the previous sample was a stale marker. */
  abstract boolean previousWasStale();

  /** Whether a count, zero count or bucket of {@code h} is below the previous sample's (a counter reset). */
  abstract boolean decreasesFromPrevious(H h);

  /** Forgets the sample fields. */
  abstract void resetFields();

  /** The chunk over {@code data}, of this appender's encoding. */
  abstract Chunk chunkOf(ByteBuffer data, boolean startTimestamps);

  /** Sets the counter-reset header instead of taking it from the first sample's hint. */
  public final void counterResetHeader(CounterResetHint hint) {
    header = requireNonNull(hint, "hint is null");
    headerSet = true;
  }

  /** The counter-reset header the chunk will carry. */
  public final CounterResetHint counterResetHeader() {
    return header;
  }

  /**
   * Appends a sample if it fits this chunk (see the class comment).
   *
   * @return {@code false}, having written nothing, if the caller must start a new chunk for {@code h}
   */
  public final boolean append(long t, H h) {
    return append(0, t, h);
  }

  /** Appends a sample with start timestamp {@code st} (written only by the ST variants). */
  final boolean append(long st, long t, H h) {
    requireNonNull(h, "h is null");
    boolean stale = Double.doubleToRawLongBits(h.sum()) == STALE_NAN;
    if (num == 0) {
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
      layout.write(writer);
      writer.writeVarbitInt(t);
      writeFirst(h, stale);
      tDelta = 0;
    } else {
      if (!fits(h, stale)) {
        return false;
      }
      long newTDelta = t - this.t;
      writer.writeVarbitInt(newTDelta - tDelta);
      tDelta = newTDelta;
      writeNext(h, stale);
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

  private boolean fits(H h, boolean stale) {
    if (num == (startTimestamps ? NativeHistogramChunk.MAX_SAMPLES_WITH_START_TIMESTAMPS : HistogramChunk.MAX_SAMPLES)) {
      return false;
    }
    if (stale) {
      return true;
    }
    if (previousWasStale()) {
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
    return gauge || !decreasesFromPrevious(h);
  }

  private void checkBucketCounts(H h) {
    if (h.positiveBucketCount() != layout.positiveBuckets() || h.negativeBucketCount() != layout.negativeBuckets()) {
      throw new IllegalArgumentException("bucket counts do not match the spans: " + h.positiveBucketCount()
          + " positive and " + h.negativeBucketCount() + " negative buckets for " + layout.positiveBuckets()
          + " and " + layout.negativeBuckets());
    }
  }

  /** Number of samples appended. */
  public final int numSamples() {
    return num;
  }

  /** Timestamp of the first sample. */
  public final long minTimeMillis() {
    checkNotEmpty();
    return firstT;
  }

  /** Timestamp of the last sample. */
  public final long maxTimeMillis() {
    checkNotEmpty();
    return t;
  }

  private void checkNotEmpty() {
    if (num == 0) {
      throw new IllegalStateException("no samples appended");
    }
  }

  /** Length of {@link #bytes()}. */
  public final int byteLength() {
    return writer.byteLength();
  }

  /** A new array with the chunk data: header and bit stream. */
  public final byte[] bytes() {
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
  public final Chunk toChunk() {
    return chunkOf(ByteBuffer.wrap(bytes()), startTimestamps);
  }

  /** Empties the chunk for reuse. */
  public final void reset() {
    writer.reset();
    stEncoder.reset();
    num = 0;
    header = CounterResetHint.UNKNOWN;
    headerSet = false;
    layout = HistogramChunkLayout.EMPTY;
    firstT = 0;
    t = 0;
    tDelta = 0;
    resetFields();
  }
}
