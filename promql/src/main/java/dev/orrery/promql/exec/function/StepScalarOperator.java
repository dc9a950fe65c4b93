package dev.orrery.promql.exec.function;

import dev.orrery.core.labels.Labels;
import dev.orrery.promql.exec.SeriesInfo;
import dev.orrery.promql.exec.StepGrid;
import dev.orrery.promql.exec.StepVector;
import dev.orrery.promql.exec.VectorOperator;
import java.util.List;
import java.util.function.LongToDoubleFunction;

/**
 * A scalar computed from the step time alone: a number literal, {@code time()}, {@code pi()}, or, as an instant
 * vector with one empty-labelled series, {@code vector(time())}.
 */
public final class StepScalarOperator implements VectorOperator {
  private static final List<SeriesInfo> ONE = List.of(SeriesInfo.of(Labels.empty()));

  private final StepGrid grid;
  private final LongToDoubleFunction value;
  private final String name;
  private int step;

  /** {@code value} maps the step time in milliseconds to the scalar. */
  public StepScalarOperator(StepGrid grid, LongToDoubleFunction value, String name) {
    this.grid = grid;
    this.value = value;
    this.name = name;
  }

  @Override
  public List<SeriesInfo> series() {
    return ONE;
  }

  @Override
  public int next(StepVector[] buf) {
    int n = 0;
    int steps = grid.steps();
    while (n < buf.length && step < steps) {
      long t = grid.at(step++);
      StepVector v = buf[n++];
      v.reset(t);
      v.add(0, value.applyAsDouble(t));
    }
    return n;
  }

  @Override
  public List<VectorOperator> children() {
    return List.of();
  }

  @Override
  public String describe() {
    return name;
  }
}
