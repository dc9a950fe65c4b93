package dev.orrery.promql.exec;

/**
 * The evaluation timestamps of a query or subquery: {@code start, start + step, ..., <= end}. Immutable.
 *
 * @param stepMillis at least 1 (an instant query is a grid of one step)
 */
public record StepGrid(long startMillis, long endMillis, long stepMillis) {
  /** Checks the bounds. */
  public StepGrid {
    if (stepMillis <= 0) {
      throw new IllegalArgumentException("step must be positive: " + stepMillis);
    }
    if (endMillis < startMillis) {
      throw new IllegalArgumentException("end before start");
    }
  }

  /** Number of steps. */
  public int steps() {
    return (int) ((endMillis - startMillis) / stepMillis) + 1;
  }

  /** Timestamp of step {@code i}. */
  public long at(int i) {
    return startMillis + i * stepMillis;
  }
}
