package dev.orrery.promql.exec.scan;

import dev.orrery.core.histogram.HistogramArithmetic;
import dev.orrery.promql.exec.QueryContext;
import dev.orrery.promql.exec.SeriesInfo;
import dev.orrery.promql.exec.StepGrid;
import dev.orrery.promql.exec.StepVector;
import dev.orrery.promql.exec.VectorOperator;
import java.util.ArrayList;
import java.util.List;

/**
 * A subquery {@code expr[range:step] offset o @ t}: the inner expression is evaluated once over the grid that covers
 * every outer window (Prometheus aligns inner steps to multiples of the step) and kept per series for the windows.
 */
public final class SubquerySource implements RangeSource {
  private final QueryContext ctx;
  private final VectorOperator inner;
  private final long rangeMillis;
  private final long offsetMillis;
  private final Long atMillis;
  private List<SeriesData> data;

  /** A source over {@code inner}, which must have been built for {@link #innerGrid}. */
  public SubquerySource(QueryContext ctx, VectorOperator inner, long rangeMillis, long offsetMillis, Long atMillis) {
    this.ctx = ctx;
    this.inner = inner;
    this.rangeMillis = rangeMillis;
    this.offsetMillis = offsetMillis;
    this.atMillis = atMillis;
  }

  /**
   * The inner grid for an outer grid: from the first multiple of {@code stepMillis} after the first window start to
   * the last window end (Prometheus' {@code evalSubquery}).
   */
  public static StepGrid innerGrid(StepGrid outer, long rangeMillis, long stepMillis, long offsetMillis,
      Long atMillis) {
    long firstEnd = (atMillis != null ? atMillis : outer.startMillis()) - offsetMillis;
    long lastEnd = (atMillis != null ? atMillis : outer.endMillis()) - offsetMillis;
    long from = firstEnd - rangeMillis;
    long start = stepMillis * (from / stepMillis);
    if (start < from) {
      start += stepMillis;
    }
    if (lastEnd < start) {
      return null;
    }
    return new StepGrid(start, lastEnd, stepMillis);
  }

  @Override
  public long rangeMillis() {
    return rangeMillis;
  }

  @Override
  public long windowEnd(long t) {
    return (atMillis != null ? atMillis : t) - offsetMillis;
  }

  @Override
  public List<SeriesData> series() {
    if (data == null) {
      List<SeriesInfo> info = inner.series();
      List<SeriesData> all = new ArrayList<>(info.size());
      for (SeriesInfo s : info) {
        all.add(new SeriesData(s.labels(), s.dropName()));
      }
      StepVector[] buf = StepVector.newBatch(64);
      long held = 0;
      for (int n = inner.next(buf); n > 0; n = inner.next(buf)) {
        for (int i = 0; i < n; i++) {
          StepVector v = buf[i];
          for (int k = 0; k < v.size; k++) {
            SeriesData d = all.get(v.ids[k]);
            if (v.histograms[k] != null) {
              // A subquery samples the series: "not a reset" referred to the previous raw sample, not to the
              // previous subquery point, so it becomes "unknown" and resets are detected explicitly.
              dev.orrery.core.histogram.FloatHistogram h = v.histograms[k];
              if (h.counterResetHint() == dev.orrery.core.histogram.CounterResetHint.NOT_COUNTER_RESET) {
                h = HistogramArithmetic.withHint(h,
                    dev.orrery.core.histogram.CounterResetHint.UNKNOWN);
              }
              d.addHistogram(v.t, h);
            } else {
              d.addFloat(v.t, v.values[k]);
            }
          }
          held += v.size;
        }
        ctx.checkInterrupted();
      }
      // The materialized points stay in memory for the rest of the query.
      ctx.addSamples(held);
      data = new ArrayList<>();
      for (SeriesData d : all) {
        if (d.size() > 0) {
          data.add(d);
        }
      }
    }
    return data;
  }

  @Override
  public String describe() {
    return "subquery";
  }
}
