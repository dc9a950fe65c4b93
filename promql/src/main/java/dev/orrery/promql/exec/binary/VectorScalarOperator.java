package dev.orrery.promql.exec.binary;

import dev.orrery.promql.ast.BinaryOp;
import dev.orrery.promql.exec.Batches;
import dev.orrery.promql.exec.QueryContext;
import dev.orrery.promql.exec.SeriesInfo;
import dev.orrery.promql.exec.StepVector;
import dev.orrery.promql.exec.VectorOperator;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code vector op scalar} and {@code scalar op vector}: each sample is combined with the step's scalar; comparisons
 * filter (keeping the vector's value) unless {@code bool}. Arithmetic and {@code bool} drop the metric name.
 */
public final class VectorScalarOperator implements VectorOperator {
  private final QueryContext ctx;
  private final BinaryOp op;
  private final VectorOperator vector;
  private final VectorOperator scalar;
  private final boolean scalarOnLeft;
  private final boolean returnBool;
  private final ElementBinop binop;
  private List<SeriesInfo> series;
  private StepVector[] scratch;

  /** {@code scalarOnLeft} for {@code scalar op vector}. */
  public VectorScalarOperator(QueryContext ctx, BinaryOp op, VectorOperator vector, VectorOperator scalar,
      boolean scalarOnLeft, boolean returnBool, int position) {
    this.ctx = ctx;
    this.op = op;
    this.vector = vector;
    this.scalar = scalar;
    this.scalarOnLeft = scalarOnLeft;
    this.returnBool = returnBool;
    this.binop = new ElementBinop(op, ctx.annotations(), position);
  }

  @Override
  public List<SeriesInfo> series() {
    if (series == null) {
      boolean drop = ElementBinop.dropsName(op) || returnBool;
      series = new ArrayList<>();
      for (SeriesInfo s : vector.series()) {
        series.add(new SeriesInfo(s.labels(), s.dropName() || drop));
      }
    }
    return series;
  }

  @Override
  public int next(StepVector[] buf) {
    series();
    int n = vector.next(buf);
    if (n == 0) {
      return 0;
    }
    double[] s = new double[n];
    scratch = Batches.readScalars(scalar, n, s, scratch);
    for (int i = 0; i < n; i++) {
      StepVector v = buf[i];
      int w = 0;
      for (int k = 0; k < v.size; k++) {
        double vf = v.values[k];
        dev.orrery.core.histogram.FloatHistogram vh = v.histograms[k];
        boolean keep = scalarOnLeft ? binop.apply(s[i], null, vf, vh) : binop.apply(vf, vh, s[i], null);
        double value = binop.value;
        dev.orrery.core.histogram.FloatHistogram hist = binop.histogram;
        if (op.isComparison() && scalarOnLeft) {
          value = vf;
          hist = vh;
        }
        if (returnBool) {
          if (vh != null && binop.histogram == null && !keep && !op.isComparison()) {
            continue;
          }
          if (vh != null) {
            // Histograms cannot be compared with scalars; the sample is dropped.
            continue;
          }
          value = keep ? 1 : 0;
          hist = null;
          keep = true;
        }
        if (!keep) {
          continue;
        }
        v.ids[w] = v.ids[k];
        v.values[w] = value;
        v.histograms[w] = hist;
        w++;
      }
      v.truncate(w);
    }
    return n;
  }

  @Override
  public List<VectorOperator> children() {
    return List.of(vector, scalar);
  }

  @Override
  public String describe() {
    return "vectorScalar " + op.symbol() + (returnBool ? " bool" : "");
  }
}
