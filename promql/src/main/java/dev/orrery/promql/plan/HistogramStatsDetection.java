package dev.orrery.promql.plan;

import dev.orrery.promql.ast.BinaryExpr;
import dev.orrery.promql.ast.Call;
import dev.orrery.promql.ast.Expr;
import dev.orrery.promql.ast.Function;
import dev.orrery.promql.ast.MatrixSelector;
import dev.orrery.promql.ast.SubqueryExpr;
import dev.orrery.promql.ast.VectorSelector;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * Prometheus' {@code detectHistogramStatsDecoding}: finds the selectors whose histograms are only ever reduced to
 * count and sum ({@code histogram_count}, {@code histogram_sum}, {@code histogram_avg} is the nearest histogram
 * function above them, with no subquery in between). Such selectors may decode histograms without buckets, and then
 * detect counter resets on the fly as Prometheus' {@code HistogramStatsIterator} does.
 */
public final class HistogramStatsDetection {
  private HistogramStatsDetection() {}

  /** The selectors (by identity) of {@code root} that only need histogram count and sum. */
  public static Set<VectorSelector> statsOnlySelectors(Expr root) {
    Set<VectorSelector> out = Collections.newSetFromMap(new IdentityHashMap<>());
    walk(root, new ArrayDeque<>(), out);
    return out;
  }

  private static void walk(Expr e, Deque<Expr> path, Set<VectorSelector> out) {
    VectorSelector vs = e instanceof VectorSelector v ? v : e instanceof MatrixSelector m ? m.vectorSelector() : null;
    if (vs != null) {
      for (Expr ancestor : path) {
        if (ancestor instanceof SubqueryExpr || ancestor instanceof BinaryExpr b && b.op().isTrim()) {
          break;
        }
        if (ancestor instanceof Call c) {
          Function f = c.func();
          if (f == Function.HISTOGRAM_COUNT || f == Function.HISTOGRAM_SUM || f == Function.HISTOGRAM_AVG) {
            out.add(vs);
            break;
          }
          if (f.functionName().startsWith("histogram_")) {
            break;
          }
        }
      }
      return;
    }
    path.push(e);
    for (Expr child : e.children()) {
      walk(child, path, out);
    }
    path.pop();
  }
}
