package dev.orrery.promql.exec.function;

import dev.orrery.promql.exec.SeriesInfo;
import dev.orrery.promql.exec.StepVector;
import dev.orrery.promql.exec.VectorOperator;
import java.util.List;

/**
 * Evaluates its input and returns nothing: {@code start_timestamp()} of an expression, whose samples carry no start
 * times (Prometheus returns no result).
 */
public final class StepFilterOperator implements VectorOperator {
  private final VectorOperator child;

  /** Drains {@code child}. */
  public StepFilterOperator(VectorOperator child) {
    this.child = child;
  }

  @Override
  public List<SeriesInfo> series() {
    child.series();
    return List.of();
  }

  @Override
  public int next(StepVector[] buf) {
    child.series();
    int n = child.next(buf);
    for (int i = 0; i < n; i++) {
      buf[i].reset(buf[i].t);
    }
    return n;
  }

  @Override
  public List<VectorOperator> children() {
    return List.of(child);
  }

  @Override
  public String describe() {
    return "noStartTimestamps";
  }
}
