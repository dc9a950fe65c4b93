package dev.orrery.core.histogram;

import dev.orrery.core.io.GoFloat;

/**
 * Prometheus' {@code FloatHistogram.String()}, as {@code count_values} labels a histogram and a block dump prints it:
 * {@code {count:20, sum:10, [-2,-1):2, [-0.001,0.001]:2, (0.5,1]:1}}.
 */
public final class FloatHistogramText {
  private FloatHistogramText() {}

  /** The text of {@code h}: count, sum, then every populated bucket from the lowest bound up. */
  public static String of(FloatHistogram h) {
    StringBuilder sb = new StringBuilder("{count:").append(GoFloat.formatG(h.count())).append(", sum:")
        .append(GoFloat.formatG(h.sum()));
    boolean custom = HistogramArithmetic.usesCustomBuckets(h);
    int[] negIdx = indexes(h.negativeSpans(), h.negativeBuckets().length);
    for (int i = negIdx.length - 1; i >= 0; i--) {
      double c = h.negativeBuckets()[i];
      if (c != 0) {
        sb.append(", [").append(GoFloat.formatG(-BucketBounds.upper(negIdx[i], h.schema()))).append(',')
            .append(GoFloat.formatG(-BucketBounds.lower(negIdx[i], h.schema()))).append("):")
            .append(GoFloat.formatV(c));
      }
    }
    if (h.zeroCount() != 0) {
      sb.append(", [").append(GoFloat.formatG(-h.zeroThreshold())).append(',')
          .append(GoFloat.formatG(h.zeroThreshold())).append("]:").append(GoFloat.formatV(h.zeroCount()));
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
      sb.append(", (").append(GoFloat.formatG(lo)).append(',').append(GoFloat.formatG(hi)).append("]:")
          .append(GoFloat.formatV(c));
    }
    return sb.append('}').toString();
  }

  private static int[] indexes(Span[] spans, int n) {
    int[] out = new int[n];
    int k = 0;
    int cur = 0;
    for (Span s : spans) {
      cur += s.offset();
      for (int j = 0; j < s.length() && k < n; j++) {
        out[k++] = cur++;
      }
    }
    return out;
  }
}
