package dev.orrery.promql.exec;

import java.util.List;

/** No series and no steps: the inner side of a subquery whose windows contain no step. */
public final class EmptyOperator implements VectorOperator {
  @Override
  public List<SeriesInfo> series() {
    return List.of();
  }

  @Override
  public int next(StepVector[] buf) {
    return 0;
  }

  @Override
  public List<VectorOperator> children() {
    return List.of();
  }

  @Override
  public String describe() {
    return "empty";
  }
}
