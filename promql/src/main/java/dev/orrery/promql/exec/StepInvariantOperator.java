package dev.orrery.promql.exec;

import java.util.List;

/**
 * Evaluates a step-invariant sub-expression (literals, {@code @}-pinned selectors) once, at the grid's first step,
 * and repeats the result at every step (Prometheus' {@code StepInvariantExpr}).
 */
public final class StepInvariantOperator implements VectorOperator {
  private final VectorOperator child;
  private final StepGrid grid;
  private StepVector once;
  private int step;

  /** {@code child} must have been built for a one-step grid at {@code grid}'s start. */
  public StepInvariantOperator(VectorOperator child, StepGrid grid) {
    this.child = child;
    this.grid = grid;
  }

  @Override
  public List<SeriesInfo> series() {
    return child.series();
  }

  @Override
  public int next(StepVector[] buf) {
    if (once == null) {
      child.series();
      StepVector[] one = StepVector.newBatch(1);
      if (child.next(one) == 0) {
        one[0].reset(grid.startMillis());
      }
      once = one[0];
    }
    int n = 0;
    int steps = grid.steps();
    while (n < buf.length && step < steps) {
      StepVector v = buf[n++];
      v.reset(grid.at(step++));
      v.ensureCapacity(once.size);
      for (int k = 0; k < once.size; k++) {
        v.addFrom(once, k, once.ids[k]);
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
    return "stepInvariant";
  }
}
