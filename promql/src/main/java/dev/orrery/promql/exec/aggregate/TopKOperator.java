package dev.orrery.promql.exec.aggregate;

import dev.orrery.core.io.GoFloat;
import dev.orrery.promql.ast.AggregateOp;
import dev.orrery.promql.engine.QueryException;
import dev.orrery.promql.exec.Batches;
import dev.orrery.promql.exec.QueryContext;
import dev.orrery.promql.exec.SeriesInfo;
import dev.orrery.promql.exec.StepVector;
import dev.orrery.promql.exec.VectorOperator;
import java.util.List;

/**
 * {@code topk}, {@code bottomk}, {@code limitk} and {@code limit_ratio}: per group and step a subset of the input
 * samples, which keep their own labels. {@code topk}/{@code bottomk} emit each group's samples sorted (NaN last) and
 * ignore histograms; {@code limitk} keeps the first k in input order; {@code limit_ratio} keeps a stable
 * hash-selected share of the series.
 */
public final class TopKOperator implements VectorOperator {
  private final QueryContext ctx;
  private final VectorOperator child;
  private final AggregateOp op;
  private final VectorOperator param;
  private final List<String> grouping;
  private final boolean without;
  private final int position;
  private final int paramPosition;
  private Grouping groups;
  private StepVector[] paramScratch;
  private double[] hashOffset;
  private int[][] chosen;
  private int[] chosenCount;

  /** {@code param} yields k (or the ratio) per step. */
  public TopKOperator(QueryContext ctx, VectorOperator child, AggregateOp op, VectorOperator param,
      List<String> grouping, boolean without, int position, int paramPosition) {
    this.ctx = ctx;
    this.child = child;
    this.op = op;
    this.param = param;
    this.grouping = grouping;
    this.without = without;
    this.position = position;
    this.paramPosition = paramPosition;
  }

  @Override
  public List<SeriesInfo> series() {
    if (groups == null) {
      List<SeriesInfo> in = child.series();
      groups = Grouping.of(in, grouping, without);
      if (op == AggregateOp.LIMIT_RATIO) {
        hashOffset = new double[in.size()];
        for (int i = 0; i < in.size(); i++) {
          long h = in.get(i).labels().hash();
          double unsigned = (double) (h >>> 1) * 2.0 + (h & 1);
          hashOffset[i] = unsigned / 18446744073709551615.0;
        }
      }
    }
    return child.series();
  }

  @Override
  public int next(StepVector[] buf) {
    series();
    int n = child.next(buf);
    if (n == 0) {
      return 0;
    }
    double[] p = new double[n];
    paramScratch = Batches.readScalars(param, n, p, paramScratch);
    int groupCount = groups.groups.size();
    for (int i = 0; i < n; i++) {
      StepVector v = buf[i];
      double pv = p[i];
      long k = 0;
      double ratio = 0;
      if (op == AggregateOp.LIMIT_RATIO) {
        if (Double.isNaN(pv)) {
          throw QueryException.execution("Ratio value is NaN");
        }
        ratio = pv;
        if (pv < -1) {
          ratio = -1;
        } else if (pv > 1) {
          ratio = 1;
        }
        if (ratio != pv) {
          ctx.annotations().warn("ratio value should be between -1 and 1, got " + GoFloat.formatG(pv)
              + ", capping to " + GoFloat.formatG(ratio), paramPosition);
        }
      } else {
        if (Double.isNaN(pv)) {
          throw QueryException.execution("Parameter value is NaN");
        }
        if (pv >= 9.223372036854775807E18 || pv < -9.223372036854775808E18) {
          throw QueryException.execution("Scalar value " + GoFloat.formatV(pv) + " overflows int64");
        }
        k = (long) pv;
        if (k > v.size) {
          k = v.size;
        }
      }
      // Per group, the indexes (into this step's samples) of the chosen ones; arrays are reused across steps.
      ensureGroups(groupCount);
      java.util.Arrays.fill(chosenCount, 0, groupCount, 0);
      boolean skip = op != AggregateOp.LIMIT_RATIO ? k < 1 : ratio == 0;
      if (!skip) {
        for (int s = 0; s < v.size; s++) {
          int g = groups.groupOf[v.ids[s]];
          int[] c = chosen[g];
          int have = chosenCount[g];
          switch (op) {
            case TOPK, BOTTOMK -> {
              if (v.histograms[s] != null) {
                ctx.annotations().info("ignored histogram in " + op.symbol() + " aggregation", position);
                continue;
              }
              chosenCount[g] = SelectionHeap.offer(v.values, c, have, s, k, op == AggregateOp.TOPK);
            }
            case LIMITK -> {
              if (have < k) {
                c[chosenCount[g]++] = s;
              }
            }
            case LIMIT_RATIO -> {
              double off = hashOffset[v.ids[s]];
              if ((ratio >= 0 && off < ratio) || (ratio < 0 && off >= 1.0 + ratio)) {
                c[chosenCount[g]++] = s;
              }
            }
            default -> throw new IllegalStateException(op.toString());
          }
        }
      }
      int total = 0;
      for (int g = 0; g < groupCount; g++) {
        total += chosenCount[g];
      }
      int[] ids = new int[total];
      double[] vals = new double[total];
      dev.orrery.core.histogram.FloatHistogram[] hs = new dev.orrery.core.histogram.FloatHistogram[total];
      int w = 0;
      for (int g = 0; g < groupCount; g++) {
        int chosenHere = chosenCount[g];
        if (chosenHere == 0) {
          continue;
        }
        int[] c = chosen[g];
        if (op == AggregateOp.TOPK || op == AggregateOp.BOTTOMK) {
          sortByValue(v, c, chosenHere);
        }
        for (int j = 0; j < chosenHere; j++) {
          int s = c[j];
          ids[w] = v.ids[s];
          vals[w] = v.values[s];
          hs[w++] = v.histograms[s];
        }
      }
      long t = v.t;
      v.reset(t);
      for (int s = 0; s < total; s++) {
        if (hs[s] != null) {
          v.addHistogram(ids[s], hs[s]);
        } else {
          v.add(ids[s], vals[s]);
        }
      }
    }
    return n;
  }

  // Insertion sort of the chosen indexes: descending for topk, ascending for bottomk, NaN last (k is small).
  private void sortByValue(StepVector v, int[] c, int n) {
    for (int i = 1; i < n; i++) {
      int x = c[i];
      int j = i - 1;
      while (j >= 0 && before(v.values[x], v.values[c[j]])) {
        c[j + 1] = c[j];
        j--;
      }
      c[j + 1] = x;
    }
  }

  private boolean before(double a, double b) {
    boolean na = Double.isNaN(a);
    boolean nb = Double.isNaN(b);
    if (na || nb) {
      return !na && nb;
    }
    return op == AggregateOp.TOPK ? a > b : a < b;
  }

  // A group never holds more samples per step than it has series, so each buffer is sized once.
  private void ensureGroups(int groupCount) {
    if (chosen != null) {
      return;
    }
    int[] sizes = new int[groupCount];
    for (int g : groups.groupOf) {
      sizes[g]++;
    }
    chosen = new int[groupCount][];
    chosenCount = new int[groupCount];
    for (int g = 0; g < groupCount; g++) {
      chosen[g] = new int[sizes[g]];
    }
  }

  @Override
  public List<VectorOperator> children() {
    return List.of(child, param);
  }

  @Override
  public String describe() {
    return op.symbol() + (without ? " without " : " by ") + grouping;
  }
}
