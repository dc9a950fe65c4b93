package dev.orrery.promql.exec.aggregate;

import dev.orrery.core.histogram.FloatHistogram;
import dev.orrery.core.io.GoFloat;
import dev.orrery.promql.ast.AggregateOp;
import dev.orrery.promql.exec.Batches;
import dev.orrery.promql.exec.QueryContext;
import dev.orrery.promql.exec.SeriesInfo;
import dev.orrery.promql.exec.StepVector;
import dev.orrery.promql.exec.VectorOperator;
import dev.orrery.promql.function.FloatQuantiles;
import dev.orrery.promql.function.KahanSum;
import dev.orrery.promql.histogram.HistogramAccumulator;
import java.util.Arrays;
import java.util.List;

/**
 * {@code sum}, {@code avg}, {@code count}, {@code group}, {@code min}, {@code max}, {@code stddev}, {@code stdvar} and
 * {@code quantile} by groups, with Prometheus 3's numerics (Kahan-compensated sums, a mean that turns incremental on
 * overflow) and histogram rules (sum and avg add histograms; the others ignore them with an info annotation; a group
 * mixing floats and histograms yields nothing and a warning). Group state lives in per-group primitive arrays.
 */
public final class AggregateOperator implements VectorOperator {
  private final QueryContext ctx;
  private final VectorOperator child;
  private final AggregateOp op;
  private final VectorOperator param;
  private final List<String> grouping;
  private final boolean without;
  private final int position;
  private final int exprPosition;
  private final int paramPosition;
  private Grouping groups;
  private StepVector[] paramScratch;

  // per-group state for one step
  private boolean[] seen;
  private boolean[] hasFloat;
  private boolean[] hasHist;
  private boolean[] incompatible;
  private boolean[] incremental;
  private double[] value;
  private double[] comp;
  private double[] mean;
  private double[] count;
  private HistogramAccumulator[] hist;
  private double[][] values;
  private int[] valueCount;

  /**
   * @param param the scalar parameter of {@code quantile}, else null
   * @param position where the aggregation is in the query; {@code exprPosition} where its operand is
   */
  public AggregateOperator(QueryContext ctx, VectorOperator child, AggregateOp op, VectorOperator param,
      List<String> grouping, boolean without, int position, int exprPosition, int paramPosition) {
    this.ctx = ctx;
    this.child = child;
    this.op = op;
    this.param = param;
    this.grouping = grouping;
    this.without = without;
    this.position = position;
    this.exprPosition = exprPosition;
    this.paramPosition = paramPosition;
  }

  @Override
  public List<SeriesInfo> series() {
    if (groups == null) {
      groups = Grouping.of(child.series(), grouping, without);
      int g = groups.groups.size();
      seen = new boolean[g];
      hasFloat = new boolean[g];
      hasHist = new boolean[g];
      incompatible = new boolean[g];
      incremental = new boolean[g];
      value = new double[g];
      comp = new double[g];
      mean = new double[g];
      count = new double[g];
      hist = new HistogramAccumulator[g];
      if (op == AggregateOp.QUANTILE) {
        values = new double[g][];
        valueCount = new int[g];
      }
    }
    return groups.groups;
  }

  @Override
  public int next(StepVector[] buf) {
    series();
    int n = child.next(buf);
    if (n == 0) {
      return 0;
    }
    double[] q = null;
    if (param != null) {
      q = new double[n];
      paramScratch = Batches.readScalars(param, n, q, paramScratch);
    }
    List<SeriesInfo> in = child.series();
    for (int i = 0; i < n; i++) {
      StepVector v = buf[i];
      if (op == AggregateOp.QUANTILE) {
        double qv = q[i];
        if (Double.isNaN(qv) || qv < 0 || qv > 1) {
          ctx.annotations().warn("quantile value should be between 0 and 1, got " + GoFloat.formatG(qv),
              paramPosition);
        }
      }
      reset();
      for (int k = 0; k < v.size; k++) {
        int g = groups.groupOf[v.ids[k]];
        FloatHistogram h = v.histograms[k];
        // The metric name only serves histogram annotations: float samples skip the lookup.
        accumulate(g, v.values[k], h, h == null ? null : in.get(v.ids[k]).labels().metricName());
      }
      long t = v.t;
      v.reset(t);
      for (int g = 0; g < seen.length; g++) {
        if (!seen[g]) {
          continue;
        }
        emit(g, v, q != null ? q[i] : 0);
      }
    }
    return n;
  }

  private void reset() {
    Arrays.fill(seen, false);
    Arrays.fill(hasFloat, false);
    Arrays.fill(hasHist, false);
    Arrays.fill(incompatible, false);
    Arrays.fill(incremental, false);
    Arrays.fill(value, 0);
    Arrays.fill(comp, 0);
    Arrays.fill(mean, 0);
    Arrays.fill(count, 0);
    Arrays.fill(hist, null);
    if (valueCount != null) {
      Arrays.fill(valueCount, 0);
    }
  }

  private void ignoredHistogram() {
    String name = switch (op) {
      case STDDEV -> "stddev";
      case STDVAR -> "stdvar";
      case QUANTILE -> "quantile";
      case MIN -> "min";
      case MAX -> "max";
      default -> op.symbol();
    };
    ctx.annotations().info("ignored histogram in " + name + " aggregation", position);
  }

  private void accumulate(int g, double f, FloatHistogram h, String metricName) {
    if (!seen[g]) {
      seen[g] = true;
      value[g] = f;
      mean[g] = f;
      count[g] = 1;
      switch (op) {
        case SUM, AVG -> {
          if (h == null) {
            hasFloat[g] = true;
          } else {
            hist[g] = new HistogramAccumulator(h);
            hasHist[g] = true;
          }
        }
        case STDDEV, STDVAR -> {
          if (h != null) {
            seen[g] = false;
            ignoredHistogram();
          } else if (Double.isNaN(f) || Double.isInfinite(f)) {
            value[g] = Double.NaN;
          } else {
            value[g] = 0;
          }
        }
        case QUANTILE -> {
          if (h != null) {
            seen[g] = false;
            ignoredHistogram();
          } else {
            addValue(g, f);
          }
        }
        case GROUP -> value[g] = 1;
        case MIN, MAX -> {
          if (h != null) {
            seen[g] = false;
            ignoredHistogram();
          }
        }
        default -> { }
      }
      return;
    }
    switch (op) {
      case SUM -> {
        if (h != null) {
          hasHist[g] = true;
          if (hist[g] != null && !incompatible[g]) {
            hist[g].add(h);
            checkAccumulator(g, metricName);
          }
        } else {
          hasFloat[g] = true;
          double nc = KahanSum.compensation(f, value[g], comp[g]);
          value[g] += f;
          comp[g] = nc;
        }
      }
      case AVG -> {
        count[g]++;
        if (h != null) {
          hasHist[g] = true;
          if (hist[g] != null && !incompatible[g]) {
            hist[g].addForMean(h);
            checkAccumulator(g, metricName);
          }
        } else {
          hasFloat[g] = true;
          if (!incremental[g]) {
            double newV = value[g] + f;
            double newC = KahanSum.compensation(f, value[g], comp[g]);
            if (!Double.isInfinite(newV)) {
              value[g] = newV;
              comp[g] = newC;
              return;
            }
            incremental[g] = true;
            mean[g] = value[g] / (count[g] - 1);
            comp[g] /= count[g] - 1;
          }
          double qf = (count[g] - 1) / count[g];
          double inc = f / count[g];
          double base = qf * mean[g];
          double nc = KahanSum.compensation(inc, base, qf * comp[g]);
          mean[g] = base + inc;
          comp[g] = nc;
        }
      }
      case GROUP -> { }
      case MAX -> {
        if (h != null) {
          ignoredHistogram();
        } else if (value[g] < f || Double.isNaN(value[g])) {
          value[g] = f;
        }
      }
      case MIN -> {
        if (h != null) {
          ignoredHistogram();
        } else if (value[g] > f || Double.isNaN(value[g])) {
          value[g] = f;
        }
      }
      case COUNT -> count[g]++;
      case STDDEV, STDVAR -> {
        if (h == null) {
          count[g]++;
          double delta = f - mean[g];
          mean[g] += delta / count[g];
          value[g] += delta * (f - mean[g]);
        } else {
          ignoredHistogram();
        }
      }
      case QUANTILE -> {
        if (h != null) {
          ignoredHistogram();
        } else {
          addValue(g, f);
        }
      }
      default -> throw new IllegalStateException("not a simple aggregation: " + op);
    }
  }

  private void checkAccumulator(int g, String metricName) {
    if (hist[g].incompatible()) {
      ctx.annotations().warn("vector contains a mix of histograms with exponential and custom buckets "
          + "schemas for metric name \"" + metricName + "\"", exprPosition);
      incompatible[g] = true;
    }
  }

  private void noteCollisions(HistogramAccumulator acc) {
    if (acc.counterResetCollision()) {
      ctx.annotations().warn("conflicting counter resets during histogram aggregation", exprPosition);
    }
    if (acc.customBoundsReconciled()) {
      ctx.annotations().info("mismatched custom buckets were reconciled during aggregation", exprPosition);
    }
  }

  private void addValue(int g, double f) {
    if (values[g] == null) {
      values[g] = new double[8];
    } else if (valueCount[g] == values[g].length) {
      values[g] = Arrays.copyOf(values[g], valueCount[g] * 2);
    }
    values[g][valueCount[g]++] = f;
  }

  private void emit(int g, StepVector out, double q) {
    switch (op) {
      case AVG, SUM -> {
        if (hasFloat[g] && hasHist[g]) {
          ctx.annotations().warn("encountered a mix of histograms and floats for aggregation", exprPosition);
          return;
        }
        if (incompatible[g]) {
          return;
        }
        if (hasHist[g]) {
          noteCollisions(hist[g]);
          out.addHistogram(g, op == AggregateOp.SUM ? hist[g].sum() : hist[g].mean());
          return;
        }
        if (op == AggregateOp.SUM) {
          out.add(g, Double.isInfinite(value[g]) ? value[g] : value[g] + comp[g]);
        } else if (incremental[g]) {
          out.add(g, mean[g] + comp[g]);
        } else {
          out.add(g, value[g] / count[g] + comp[g] / count[g]);
        }
      }
      case COUNT -> out.add(g, count[g]);
      case STDVAR -> out.add(g, value[g] / count[g]);
      case STDDEV -> out.add(g, Math.sqrt(value[g] / count[g]));
      case QUANTILE -> out.add(g, FloatQuantiles.quantile(q, values[g], valueCount[g]));
      default -> out.add(g, value[g]);
    }
  }

  @Override
  public List<VectorOperator> children() {
    return param == null ? List.of(child) : List.of(child, param);
  }

  @Override
  public String describe() {
    return op.symbol() + (without ? " without " : " by ") + grouping;
  }
}
