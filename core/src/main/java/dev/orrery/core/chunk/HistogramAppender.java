package dev.orrery.core.chunk;

import dev.orrery.core.histogram.CounterResetHint;
import dev.orrery.core.histogram.Histogram;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Encodes integer native histograms into a histogram chunk (encoding 2, FORMATS.md 2.6) with the same writes as
 * Prometheus' {@code HistogramAppender}: counts and buckets double-delta coded as varbit integers, the sum XOR-coded.
 *
 * <p>The first sample fixes the chunk's bucket layout (schema, zero threshold, spans, custom bounds) and, unless
 * {@link #counterResetHeader(CounterResetHint)} was called, the counter-reset header from its hint; what fits later
 * is described in {@link NativeHistogramAppender}.
 *
 * <p>Confined to one thread; {@link #reset()} makes it reusable.
 */
public final class HistogramAppender extends NativeHistogramAppender<Histogram> {
  private final int[] sumWindow = {BitWriter.XOR_UNSET, 0};
  private long count;
  private long countDelta;
  private long zeroCount;
  private long zeroCountDelta;
  private long sumBits;
  /** The previous sample's buckets in stored form (first absolute, then deltas), and their deltas to the one before. */
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
    super(compatibility, startTimestamps);
  }

  @Override
  boolean previousWasStale() {
    return sumBits == STALE_NAN;
  }

  @Override
  boolean decreasesFromPrevious(Histogram h) {
    return Long.compareUnsigned(h.count(), count) < 0 || Long.compareUnsigned(h.zeroCount(), zeroCount) < 0
        || decreases(h.positiveBucketDeltas(), 0) || decreases(h.negativeBucketDeltas(), layout.positiveBuckets());
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

  @Override
  void writeFirst(Histogram h, boolean stale) {
    int n = layout.positiveBuckets() + layout.negativeBuckets();
    if (buckets.length < n) {
      buckets = new long[n];
      bucketDeltas = new long[n];
    }
    Arrays.fill(bucketDeltas, 0, n, 0);
    BitWriter w = writer;
    long c = stale ? 0 : h.count();
    long z = stale ? 0 : h.zeroCount();
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
    count = c;
    countDelta = 0;
    zeroCount = z;
    zeroCountDelta = 0;
    sumBits = Double.doubleToRawLongBits(h.sum());
  }

  @Override
  void writeNext(Histogram h, boolean stale) {
    BitWriter w = writer;
    long c = stale ? 0 : h.count();
    long z = stale ? 0 : h.zeroCount();
    long newCountDelta = c - count;
    long newZeroCountDelta = z - zeroCount;
    w.writeVarbitInt(stale ? 0 : newCountDelta - countDelta);
    w.writeVarbitInt(stale ? 0 : newZeroCountDelta - zeroCountDelta);
    long newSum = Double.doubleToRawLongBits(h.sum());
    w.writeXorValue(newSum, sumBits, sumWindow, 0);
    if (!stale) {
      int p = layout.positiveBuckets();
      writeBuckets(w, h.positiveBucketDeltas(), 0);
      writeBuckets(w, h.negativeBucketDeltas(), p);
    }
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

  @Override
  void resetFields() {
    sumWindow[0] = BitWriter.XOR_UNSET;
    sumWindow[1] = 0;
    count = 0;
    countDelta = 0;
    zeroCount = 0;
    zeroCountDelta = 0;
    sumBits = 0;
  }

  @Override
  Chunk chunkOf(ByteBuffer data, boolean startTimestamps) {
    return startTimestamps ? new HistogramStChunk(data) : new HistogramChunk(data);
  }
}
