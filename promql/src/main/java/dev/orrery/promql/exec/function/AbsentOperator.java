package dev.orrery.promql.exec.function;

import dev.orrery.core.labels.Labels;
import dev.orrery.promql.exec.SeriesInfo;
import dev.orrery.promql.exec.StepVector;
import dev.orrery.promql.exec.VectorOperator;
import java.util.List;

/**
 * {@code absent(v)} and {@code absent_over_time(r)}: 1 with the labels of the selector's equality matchers at steps
 * where the input has no sample.
 */
public final class AbsentOperator implements VectorOperator {
  private final VectorOperator child;
  private final List<SeriesInfo> series;

  /** {@code labels} are derived from the argument's matchers by the caller. */
  public AbsentOperator(VectorOperator child, Labels labels) {
    this.child = child;
    this.series = List.of(SeriesInfo.of(labels));
  }

  @Override
  public List<SeriesInfo> series() {
    return series;
  }

  @Override
  public int next(StepVector[] buf) {
    child.series();
    int n = child.next(buf);
    for (int i = 0; i < n; i++) {
      StepVector v = buf[i];
      boolean empty = v.size == 0;
      v.reset(v.t);
      if (empty) {
        v.add(0, 1);
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
    return "absent";
  }
}
