package dev.orrery.core.chunk;

import dev.orrery.core.histogram.CounterResetHint;
import dev.orrery.core.histogram.FloatHistogram;
import dev.orrery.core.histogram.Histogram;
import java.util.Arrays;

/**
 * Decodes integer histogram chunks: {@link HistogramChunk} (encoding 2) and {@link HistogramStChunk} (encoding 5),
 * FORMATS.md 2.6 and 2.8. Bucket values are kept in Prometheus' stored form (first bucket absolute, then deltas to the
 * previous bucket); each is double-delta coded against the previous sample. A sample whose sum is the stale NaN has no
 * bucket fields and is returned as a histogram with only that sum.
 *
 * <p>Confined to one thread. {@link #atHistogram()} returns a new immutable object per sample.
 */
final class HistogramIterator extends HistogramChunkIterator {
  private final int[] sumWindow = new int[2];
  private long count;
  private long countDelta;
  private long zeroCount;
  private long zeroCountDelta;
  private long sumBits;
  private long[] buckets = new long[0];
  private long[] bucketDeltas = new long[0];
  private Histogram current;

  HistogramIterator() {
    super(ValueType.HISTOGRAM);
  }

  @Override
  void resetFields() {
    count = 0;
    countDelta = 0;
    zeroCount = 0;
    zeroCountDelta = 0;
    sumBits = 0;
    sumWindow[0] = 0;
    sumWindow[1] = 0;
    current = null;
  }

  @Override
  void sampleChanged() {
    current = null;
  }

  @Override
  void readFirst() {
    BitReader r = reader;
    layout = HistogramChunkLayout.read(r);
    int n = layout.positiveBuckets() + layout.negativeBuckets();
    if (buckets.length < n) {
      buckets = new long[n];
      bucketDeltas = new long[n];
    } else {
      Arrays.fill(bucketDeltas, 0, n, 0);
    }
    t = r.readVarbitInt();
    count = r.readVarbitUint();
    zeroCount = r.readVarbitUint();
    sumBits = r.readBits(64);
    for (int i = 0; i < n; i++) {
      buckets[i] = r.readVarbitInt();
    }
  }

  @Override
  void readNext() {
    BitReader r = reader;
    tDelta += r.readVarbitInt();
    t += tDelta;
    countDelta += r.readVarbitInt();
    count += countDelta;
    zeroCountDelta += r.readVarbitInt();
    zeroCount += zeroCountDelta;
    sumBits = r.readXorValue(sumBits, sumWindow, 0);
    if (sumBits == STALE_NAN) {
      return;
    }
    int n = layout.positiveBuckets() + layout.negativeBuckets();
    long[] b = buckets;
    long[] d = bucketDeltas;
    for (int i = 0; i < n; i++) {
      d[i] += r.readVarbitInt();
      b[i] += d[i];
    }
  }

  @Override
  public Histogram atHistogram() {
    Histogram h = current;
    if (h == null) {
      h = build();
      current = h;
    }
    return h;
  }

  private Histogram build() {
    double sum = Double.longBitsToDouble(sumBits);
    if (sumBits == STALE_NAN) {
      return new Histogram(CounterResetHint.UNKNOWN, 0, 0, 0, 0, sum, HistogramChunkLayout.NO_SPANS, new long[0],
          HistogramChunkLayout.NO_SPANS, new long[0], HistogramChunkLayout.NO_VALUES);
    }
    HistogramChunkLayout l = layout;
    int p = l.positiveBuckets();
    return new Histogram(currentHint(), l.schema(), l.zeroThreshold(), zeroCount,
        count, sum, l.positiveSpans(), Arrays.copyOfRange(buckets, 0, p), l.negativeSpans(),
        Arrays.copyOfRange(buckets, p, p + l.negativeBuckets()), l.customValues());
  }

  @Override
  public FloatHistogram atFloatHistogram() {
    return atHistogram().toFloat();
  }
}
