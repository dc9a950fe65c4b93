package dev.orrery.promql.exec.aggregate;

import dev.orrery.core.histogram.FloatHistogramText;
import dev.orrery.core.io.GoFloat;
import dev.orrery.core.labels.Labels;
import dev.orrery.promql.exec.QueryContext;
import dev.orrery.promql.exec.SeriesInfo;
import dev.orrery.promql.exec.StepGrid;
import dev.orrery.promql.exec.StepVector;
import dev.orrery.promql.exec.VectorOperator;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code count_values("label", v)}: its output series depend on the values, so the whole input is evaluated when the
 * series are first asked for, and the counts are then replayed step by step.
 */
public final class CountValuesOperator implements VectorOperator {
  private final QueryContext ctx;
  private final VectorOperator child;
  private final String label;
  private final List<String> grouping;
  private final boolean without;
  private final StepGrid grid;
  private List<SeriesInfo> series;
  private List<long[]> stepTimes;
  private List<int[]> stepIds;
  private List<double[]> stepCounts;
  private int step;

  /** Counts values of {@code child} into series labelled {@code label}. */
  public CountValuesOperator(QueryContext ctx, VectorOperator child, String label, List<String> grouping,
      boolean without, StepGrid grid) {
    this.ctx = ctx;
    this.child = child;
    this.label = label;
    this.grouping = grouping;
    this.without = without;
    this.grid = grid;
  }

  @Override
  public List<SeriesInfo> series() {
    if (series != null) {
      return series;
    }
    List<SeriesInfo> in = child.series();
    Labels[] keys = new Labels[in.size()];
    for (int i = 0; i < in.size(); i++) {
      keys[i] = Grouping.key(in.get(i).labels(), grouping, without);
    }
    Map<Labels, Integer> ids = new HashMap<>();
    series = new ArrayList<>();
    stepTimes = new ArrayList<>();
    stepIds = new ArrayList<>();
    stepCounts = new ArrayList<>();
    StepVector[] buf = StepVector.newBatch(Math.min(64, grid.steps()));
    for (int n = child.next(buf); n > 0; n = child.next(buf)) {
      for (int i = 0; i < n; i++) {
        StepVector v = buf[i];
        Map<Integer, double[]> counts = new LinkedHashMap<>();
        for (int k = 0; k < v.size; k++) {
          String value = v.histograms[k] != null ? FloatHistogramText.of(v.histograms[k]) : GoFloat.formatV(v.values[k]);
          Labels l = keys[v.ids[k]].toBuilder().set(label, value).build();
          Integer id = ids.get(l);
          if (id == null) {
            id = series.size();
            ids.put(l, id);
            series.add(SeriesInfo.of(l));
          }
          counts.computeIfAbsent(id, x -> new double[1])[0]++;
        }
        int[] sids = new int[counts.size()];
        double[] cs = new double[counts.size()];
        int w = 0;
        for (Map.Entry<Integer, double[]> e : counts.entrySet()) {
          sids[w] = e.getKey();
          cs[w++] = e.getValue()[0];
        }
        stepTimes.add(new long[] {v.t});
        stepIds.add(sids);
        stepCounts.add(cs);
      }
    }
    return series;
  }

  @Override
  public int next(StepVector[] buf) {
    series();
    ctx.checkInterrupted();
    int n = 0;
    while (n < buf.length && step < stepTimes.size()) {
      StepVector v = buf[n++];
      v.reset(stepTimes.get(step)[0]);
      int[] ids = stepIds.get(step);
      double[] cs = stepCounts.get(step);
      for (int k = 0; k < ids.length; k++) {
        v.add(ids[k], cs[k]);
      }
      step++;
    }
    return n;
  }

  @Override
  public List<VectorOperator> children() {
    return List.of(child);
  }

  @Override
  public String describe() {
    return "count_values(" + label + ")";
  }
}
