package dev.orrery.promql.exec;

import dev.orrery.core.histogram.HistogramArithmetic;
import java.util.List;

/** Unary minus: negates floats and histograms; on vectors the metric name is dropped. */
public final class NegationOperator implements VectorOperator {
  private final VectorOperator child;
  private final boolean vector;
  private List<SeriesInfo> series;

  /** {@code vector} is false for a scalar operand. */
  public NegationOperator(VectorOperator child, boolean vector) {
    this.child = child;
    this.vector = vector;
  }

  @Override
  public List<SeriesInfo> series() {
    if (series == null) {
      if (!vector) {
        series = child.series();
      } else {
        series = SeriesInfo.droppingNames(child.series());
      }
    }
    return series;
  }

  @Override
  public int next(StepVector[] buf) {
    series();
    int n = child.next(buf);
    for (int i = 0; i < n; i++) {
      StepVector v = buf[i];
      for (int k = 0; k < v.size; k++) {
        if (v.histograms[k] != null) {
          v.histograms[k] = HistogramArithmetic.withHint(HistogramArithmetic.scale(v.histograms[k], -1),
              dev.orrery.core.histogram.CounterResetHint.GAUGE);
        } else {
          v.values[k] = -v.values[k];
        }
      }
    }
    return n;
  }

  @Override
  public List<VectorOperator> children() {
    return List.of(child);
  }

  @Override
  public String describe() {
    return "negate";
  }
}
