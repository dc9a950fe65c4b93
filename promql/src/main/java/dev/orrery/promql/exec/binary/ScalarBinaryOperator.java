package dev.orrery.promql.exec.binary;

import dev.orrery.core.labels.Labels;
import dev.orrery.promql.ast.BinaryOp;
import dev.orrery.promql.exec.Batches;
import dev.orrery.promql.exec.SeriesInfo;
import dev.orrery.promql.exec.StepVector;
import dev.orrery.promql.exec.VectorOperator;
import java.util.List;

/** {@code scalar op scalar}: a scalar; comparisons (which need {@code bool}) give 1 or 0. */
public final class ScalarBinaryOperator implements VectorOperator {
  private static final List<SeriesInfo> ONE = List.of(SeriesInfo.of(Labels.empty()));
  private final BinaryOp op;
  private final VectorOperator lhs;
  private final VectorOperator rhs;
  private StepVector[] rhsScratch;

  /** Combines two scalar operators. */
  public ScalarBinaryOperator(BinaryOp op, VectorOperator lhs, VectorOperator rhs) {
    this.op = op;
    this.lhs = lhs;
    this.rhs = rhs;
  }

  @Override
  public List<SeriesInfo> series() {
    return ONE;
  }

  @Override
  public int next(StepVector[] buf) {
    int n = lhs.next(buf);
    if (n == 0) {
      return 0;
    }
    double[] r = new double[n];
    rhsScratch = Batches.readScalars(rhs, n, r, rhsScratch);
    for (int i = 0; i < n; i++) {
      StepVector v = buf[i];
      double l = v.size > 0 ? v.values[0] : Double.NaN;
      double out = op.isComparison() ? (ElementBinop.compare(op, l, r[i]) ? 1 : 0)
          : ElementBinop.arithmetic(op, l, r[i]);
      v.reset(v.t);
      v.add(0, out);
    }
    return n;
  }

  @Override
  public List<VectorOperator> children() {
    return List.of(lhs, rhs);
  }

  @Override
  public String describe() {
    return "scalar " + op.symbol();
  }
}
