package dev.orrery.promql.exec.aggregate;

import dev.orrery.core.histogram.BucketBounds;
import dev.orrery.core.histogram.FloatHistogram;
import dev.orrery.core.histogram.HistogramArithmetic;
import dev.orrery.promql.function.GoFloats;

/**
 * Prometheus' {@code FloatHistogram.String()}, the label value {@code count_values} gives a histogram:
 * {@code {count:20, sum:10, [-2,-1):2, [-0.001,0.001]:2, (0.5,1]:1}}.
 */
final class HistogramText {
  private HistogramText() {}

  static String of(FloatHistogram h) {
    StringBuilder sb = new StringBuilder("{count:").append(GoFloats.formatG(h.count())).append(", sum:")
        .append(GoFloats.formatG(h.sum()));
    boolean custom = HistogramArithmetic.usesCustomBuckets(h);
    int[] negIdx = indexes(h.negativeSpans(), h.negativeBuckets().length);
    for (int i = negIdx.length - 1; i >= 0; i--) {
      double c = h.negativeBuckets()[i];
      if (c != 0) {
        sb.append(", [").append(GoFloats.formatG(-BucketBounds.upper(negIdx[i], h.schema()))).append(',')
            .append(GoFloats.formatG(-BucketBounds.lower(negIdx[i], h.schema()))).append("):")
            .append(GoFloats.formatV(c));
      }
    }
    if (h.zeroCount() != 0) {
      sb.append(", [").append(GoFloats.formatG(-h.zeroThreshold())).append(',')
          .append(GoFloats.formatG(h.zeroThreshold())).append("]:").append(GoFloats.formatV(h.zeroCount()));
    }
    int[] posIdx = indexes(h.positiveSpans(), h.positiveBuckets().length);
    for (int i = 0; i < posIdx.length; i++) {
      double c = h.positiveBuckets()[i];
      if (c == 0) {
        continue;
      }
      double lo = custom ? BucketBounds.customLower(posIdx[i], h.customValues())
          : BucketBounds.lower(posIdx[i], h.schema());
      double hi = custom ? BucketBounds.customUpper(posIdx[i], h.customValues())
          : BucketBounds.upper(posIdx[i], h.schema());
      sb.append(", (").append(GoFloats.formatG(lo)).append(',').append(GoFloats.formatG(hi)).append("]:")
          .append(GoFloats.formatV(c));
    }
    return sb.append('}').toString();
  }

  private static int[] indexes(dev.orrery.core.histogram.Span[] spans, int n) {
    int[] out = new int[n];
    int k = 0;
    int cur = 0;
    for (dev.orrery.core.histogram.Span s : spans) {
      cur += s.offset();
      for (int j = 0; j < s.length() && k < n; j++) {
        out[k++] = cur++;
      }
    }
    return out;
  }
}
