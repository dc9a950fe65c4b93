package dev.orrery.promql.exec.function;

import dev.orrery.core.labels.Labels;
import dev.orrery.promql.exec.SeriesInfo;
import dev.orrery.promql.exec.StepVector;
import dev.orrery.promql.exec.VectorOperator;
import java.util.List;

/** {@code vector(s)}: a one-element vector with no labels. */
public final class VectorOfScalarOperator implements VectorOperator {
  private static final List<SeriesInfo> ONE = List.of(SeriesInfo.of(Labels.empty()));
  private final VectorOperator child;

  /** Wraps the scalar operator {@code child}. */
  public VectorOfScalarOperator(VectorOperator child) {
    this.child = child;
  }

  @Override
  public List<SeriesInfo> series() {
    return ONE;
  }

  @Override
  public int next(StepVector[] buf) {
    return child.next(buf);
  }

  @Override
  public List<VectorOperator> children() {
    return List.of(child);
  }

  @Override
  public String describe() {
    return "vector";
  }
}
