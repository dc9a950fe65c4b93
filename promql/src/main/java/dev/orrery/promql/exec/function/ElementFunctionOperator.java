package dev.orrery.promql.exec.function;

import dev.orrery.promql.exec.Batches;
import dev.orrery.promql.exec.QueryContext;
import dev.orrery.promql.exec.SeriesInfo;
import dev.orrery.promql.exec.StepVector;
import dev.orrery.promql.exec.VectorOperator;
import java.util.ArrayList;
import java.util.List;

/**
 * Element-wise float functions ({@code abs}, {@code ceil}, {@code round}, {@code clamp}, trigonometry, ...): each float
 * sample is mapped; histogram samples are dropped, as Prometheus' {@code simpleFloatFunc} does. The metric name is
 * dropped.
 */
public final class ElementFunctionOperator implements VectorOperator {
  private final QueryContext ctx;
  private final VectorOperator child;
  private final ElementFunction fn;
  private final List<VectorOperator> params;
  private final String name;
  private List<SeriesInfo> series;
  private StepVector[][] paramScratch;
  private boolean emptyWhenArgsCross;

  /** {@code params} are scalar operators for the function's extra arguments (at most two). */
  public ElementFunctionOperator(QueryContext ctx, VectorOperator child, ElementFunction fn,
      List<VectorOperator> params, String name) {
    this.ctx = ctx;
    this.child = child;
    this.fn = fn;
    this.params = params;
    this.name = name;
  }

  /** Makes steps where the second argument is below the first yield nothing ({@code clamp} with max < min). */
  public ElementFunctionOperator emptyWhenArgsCross() {
    this.emptyWhenArgsCross = true;
    return this;
  }

  @Override
  public List<SeriesInfo> series() {
    if (series == null) {
      series = SeriesInfo.droppingNames(child.series());
    }
    return series;
  }

  @Override
  public int next(StepVector[] buf) {
    series();
    int n = child.next(buf);
    if (n == 0) {
      return 0;
    }
    double[][] args = new double[2][n];
    if (paramScratch == null) {
      paramScratch = new StepVector[params.size()][];
    }
    for (int p = 0; p < params.size(); p++) {
      paramScratch[p] = Batches.readScalars(params.get(p), n, args[p], paramScratch[p]);
    }
    for (int i = 0; i < n; i++) {
      StepVector v = buf[i];
      if (emptyWhenArgsCross && args[1][i] < args[0][i]) {
        v.reset(v.t);
        continue;
      }
      int w = 0;
      for (int k = 0; k < v.size; k++) {
        if (v.histograms[k] != null) {
          continue;
        }
        v.ids[w] = v.ids[k];
        v.values[w] = fn.apply(v.values[k], args[0][i], args[1][i], v.t);
        v.histograms[w] = null;
        w++;
      }
      v.truncate(w);
    }
    return n;
  }

  @Override
  public List<VectorOperator> children() {
    List<VectorOperator> out = new ArrayList<>();
    out.add(child);
    out.addAll(params);
    return out;
  }

  @Override
  public String describe() {
    return name;
  }
}
