package dev.orrery.promql.promqltest;

import dev.orrery.core.histogram.FloatHistogram;
import dev.orrery.core.histogram.Span;

/** A histogram in the test DSL's {@code {{...}}} notation, for failure messages (Prometheus' TestExpression). */
final class HistogramText {
  private HistogramText() {}

  static String of(FloatHistogram h) {
    StringBuilder sb = new StringBuilder("{{");
    if (h.schema() != 0) {
      sb.append("schema:").append(h.schema()).append(' ');
    }
    sb.append("count:").append(FloatText.of(h.count())).append(" sum:").append(FloatText.of(h.sum()));
    if (h.zeroCount() != 0) {
      sb.append(" z_bucket:").append(FloatText.of(h.zeroCount()));
    }
    if (h.zeroThreshold() != 0) {
      sb.append(" z_bucket_w:").append(FloatText.of(h.zeroThreshold()));
    }
    appendSide(sb, "", h.positiveSpans(), h.positiveBuckets());
    appendSide(sb, "n_", h.negativeSpans(), h.negativeBuckets());
    if (h.customValues().length > 0) {
      sb.append(" custom_values:[");
      for (int i = 0; i < h.customValues().length; i++) {
        sb.append(i > 0 ? " " : "").append(FloatText.of(h.customValues()[i]));
      }
      sb.append(']');
    }
    sb.append(" counter_reset_hint:").append(switch (h.counterResetHint()) {
      case UNKNOWN -> "unknown";
      case COUNTER_RESET -> "reset";
      case NOT_COUNTER_RESET -> "not_reset";
      case GAUGE -> "gauge";
    });
    return sb.append("}}").toString();
  }

  private static void appendSide(StringBuilder sb, String prefix, Span[] spans, double[] buckets) {
    if (buckets.length == 0) {
      return;
    }
    sb.append(' ').append(prefix).append("spans:[");
    for (int i = 0; i < spans.length; i++) {
      sb.append(i > 0 ? " " : "").append(spans[i].offset()).append(':').append(spans[i].length());
    }
    sb.append("] ").append(prefix).append("buckets:[");
    for (int i = 0; i < buckets.length; i++) {
      sb.append(i > 0 ? " " : "").append(FloatText.of(buckets[i]));
    }
    sb.append(']');
  }
}
