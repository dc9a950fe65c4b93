package dev.orrery.promql.histogram;

import dev.orrery.core.histogram.BucketBounds;
import dev.orrery.core.histogram.Buckets;
import dev.orrery.core.histogram.FloatHistogram;
import dev.orrery.core.histogram.HistogramArithmetic;

/**
 * All buckets of a float histogram in ascending order of bounds (Prometheus' {@code AllBucketIterator}): negative
 * buckets from the most negative, then the zero bucket, then positive buckets; for custom buckets only the positive
 * ones, the first reaching down to -Inf. Also iterates in reverse. Reads the histogram's arrays without copying.
 */
final class BucketIterator {
  private final FloatHistogram h;
  private final boolean custom;
  private final Buckets neg;
  private final Buckets pos;
  private final boolean reverse;
  // position over the virtual sequence: neg (reversed), zero, pos
  private int index;
  private final int total;
  double lower;
  double upper;
  double count;

  BucketIterator(FloatHistogram h, boolean reverse) {
    this.h = h;
    this.custom = HistogramArithmetic.usesCustomBuckets(h);
    this.neg = custom ? Buckets.EMPTY : Buckets.of(h.negativeSpans(), h.negativeBuckets());
    this.pos = Buckets.of(h.positiveSpans(), h.positiveBuckets());
    this.reverse = reverse;
    this.total = neg.size() + (custom ? 0 : 1) + pos.size();
    this.index = -1;
  }

  boolean next() {
    while (true) {
      index++;
      if (index >= total) {
        return false;
      }
      int i = reverse ? total - 1 - index : index;
      if (i < neg.size()) {
        int k = neg.size() - 1 - i;
        int idx = neg.indexes()[k];
        upper = -BucketBounds.lower(idx, h.schema());
        lower = -BucketBounds.upper(idx, h.schema());
        count = neg.counts()[k];
        return true;
      }
      i -= neg.size();
      if (!custom) {
        if (i == 0) {
          lower = -h.zeroThreshold();
          upper = h.zeroThreshold();
          count = h.zeroCount();
          if (count == 0 && h.zeroThreshold() == 0) {
            // Prometheus' iterator skips an empty zero bucket of width 0.
            continue;
          }
          return true;
        }
        i--;
      }
      int idx = pos.indexes()[i];
      if (custom) {
        lower = BucketBounds.customLower(idx, h.customValues());
        upper = BucketBounds.customUpper(idx, h.customValues());
      } else {
        lower = BucketBounds.lower(idx, h.schema());
        upper = BucketBounds.upper(idx, h.schema());
      }
      count = pos.counts()[i];
      return true;
    }
  }
}
