package dev.orrery.promql.exec.function;

import dev.orrery.promql.exec.SeriesInfo;
import dev.orrery.promql.exec.StepVector;
import dev.orrery.promql.exec.VectorOperator;
import java.util.List;

/** {@code timestamp(v)} for a computed vector: every sample's value becomes the step time in seconds. */
public final class StepTimestampOperator implements VectorOperator {
  private final VectorOperator child;
  private List<SeriesInfo> series;

  /** Wraps {@code child}. */
  public StepTimestampOperator(VectorOperator child) {
    this.child = child;
  }

  @Override
  public List<SeriesInfo> series() {
    if (series == null) {
      series = SeriesInfo.droppingNames(child.series());
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
        v.values[k] = v.t / 1000.0;
        v.histograms[k] = null;
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
    return "timestamp";
  }
}
