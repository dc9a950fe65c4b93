package dev.orrery.promql.exec.function;

import dev.orrery.core.labels.Labels;
import dev.orrery.promql.exec.SeriesInfo;
import dev.orrery.promql.exec.StepVector;
import dev.orrery.promql.exec.VectorOperator;
import java.util.List;

/** {@code scalar(v)}: the value of a single-element vector, NaN otherwise (histograms included). */
public final class ScalarOfVectorOperator implements VectorOperator {
  private static final List<SeriesInfo> ONE = List.of(SeriesInfo.of(Labels.empty()));
  private final VectorOperator child;

  /** Wraps {@code child}. */
  public ScalarOfVectorOperator(VectorOperator child) {
    this.child = child;
  }

  @Override
  public List<SeriesInfo> series() {
    child.series();
    return ONE;
  }

  @Override
  public int next(StepVector[] buf) {
    child.series();
    int n = child.next(buf);
    for (int i = 0; i < n; i++) {
      StepVector v = buf[i];
      // Only float samples count; histograms are ignored.
      double value = Double.NaN;
      int floats = 0;
      for (int k = 0; k < v.size; k++) {
        if (v.histograms[k] == null) {
          floats++;
          value = v.values[k];
        }
      }
      if (floats != 1) {
        value = Double.NaN;
      }
      v.reset(v.t);
      v.add(0, value);
    }
    return n;
  }

  @Override
  public List<VectorOperator> children() {
    return List.of(child);
  }

  @Override
  public String describe() {
    return "scalar";
  }
}
