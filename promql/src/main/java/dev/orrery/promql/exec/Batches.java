package dev.orrery.promql.exec;

/**
 * Pulls scalar arguments in step with a parent: a scalar operator yields exactly one sample (id 0) per step, or none
 * when its value is absent.
 */
public final class Batches {
  private Batches() {}

  /**
   * Reads {@code n} steps of the scalar operator {@code op} into {@code into} (NaN where the operator has no value),
   * reusing {@code scratch} when it has exactly {@code n} vectors.
   *
   * @return the scratch batch to reuse next time
   */
  public static StepVector[] readScalars(VectorOperator op, int n, double[] into, StepVector[] scratch) {
    StepVector[] buf = scratch != null && scratch.length == n ? scratch : StepVector.newBatch(n);
    int got = op.next(buf);
    for (int i = 0; i < n; i++) {
      into[i] = i < got && buf[i].size > 0 && buf[i].histograms[0] == null ? buf[i].values[0] : Double.NaN;
    }
    return buf;
  }
}
