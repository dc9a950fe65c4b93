package dev.orrery.promql.exec.scan;

import dev.orrery.promql.exec.Batches;
import dev.orrery.promql.exec.QueryContext;
import dev.orrery.promql.exec.SeriesInfo;
import dev.orrery.promql.exec.StepGrid;
import dev.orrery.promql.exec.StepVector;
import dev.orrery.promql.exec.VectorOperator;
import dev.orrery.promql.function.KernelOutput;
import dev.orrery.promql.function.RangeKernel;
import dev.orrery.promql.function.RangeWindow;
import java.util.ArrayList;
import java.util.List;

/**
 * A range function ({@code rate(x[5m])}, {@code quantile_over_time(0.9, y[1h:1m])}, ...): for every step and series
 * the window {@code (end - range, end]} of the source is handed to the kernel. Scalar arguments are evaluated per step
 * by {@code params} operators.
 */
public final class RangeFunctionOperator implements VectorOperator {
  private final QueryContext ctx;
  private final StepGrid grid;
  private final RangeSource source;
  private final RangeKernel kernel;
  private final String name;
  private final boolean dropName;
  private final List<VectorOperator> params;
  private final int argPosition;
  private final RangeWindow window = new RangeWindow();
  private final KernelOutput result = new KernelOutput();
  private List<SeriesInfo> series;
  private StepVector[] paramBuf;
  private int step;

  /**
   * @param params operators yielding one scalar per step (the non-range arguments in order)
   * @param dropName whether the function removes the metric name
   * @param argPosition query offset of the range argument, for annotations
   */
  public RangeFunctionOperator(QueryContext ctx, StepGrid grid, RangeSource source, RangeKernel kernel, String name,
      boolean dropName, List<VectorOperator> params, int argPosition) {
    this.ctx = ctx;
    this.grid = grid;
    this.source = source;
    this.kernel = kernel;
    this.name = name;
    this.dropName = dropName;
    this.params = params;
    this.argPosition = argPosition;
  }

  @Override
  public List<SeriesInfo> series() {
    if (series == null) {
      List<SeriesData> data = source.series();
      series = new ArrayList<>(data.size());
      for (SeriesData d : data) {
        series.add(new SeriesInfo(d.labels(), dropName || d.dropName()));
      }
    }
    return series;
  }

  @Override
  public int next(StepVector[] buf) {
    series();
    ctx.checkInterrupted();
    List<SeriesData> data = source.series();
    int steps = grid.steps();
    int n = Math.min(buf.length, steps - step);
    if (n <= 0) {
      return 0;
    }
    double[][] paramValues = new double[params.size()][n];
    for (int p = 0; p < params.size(); p++) {
      paramBuf = Batches.readScalars(params.get(p), n, paramValues[p], paramBuf);
    }
    window.annotations = ctx.annotations();
    window.argPosition = argPosition;
    window.rangeMillis = source.rangeMillis();
    window.lookbackMillis = ctx.lookbackDeltaMillis();
    long[] ends = new long[n];
    for (int i = 0; i < n; i++) {
      long t = grid.at(step + i);
      ends[i] = source.windowEnd(t);
      buf[i].reset(t);
      buf[i].ensureCapacity(data.size());
    }
    long[] inWindow = new long[n];
    long keepBefore = source.looksOutside() ? ctx.lookbackDeltaMillis() : 0;
    // Series-major within the batch: a series' decoder and buffer stay hot in cache for all its windows. Samples are
    // decoded up to SeriesData.FILL_AHEAD_MILLIS past the window (bulk copies), and the window bounds move forward as
    // cursors; the buffer is compacted only after a series' batch, where no cursor is live.
    long lastEnd = ends[n - 1];
    long range = source.rangeMillis();
    for (int id = 0; id < data.size(); id++) {
      SeriesData d = data.get(id);
      window.metricName = d.labels().metricName();
      int floatFrom = -1;
      int floatTo = -1;
      int histFrom = -1;
      int histTo = -1;
      for (int i = 0; i < n; i++) {
        long end = ends[i];
        long start = end - range;
        d.fillTo(Math.min(lastEnd, end + SeriesData.FILL_AHEAD_MILLIS) + source.lookaheadMillis());
        window.rangeStartMillis = start;
        window.rangeEndMillis = end;
        window.stepMillis = buf[i].t;
        for (int p = 0; p < params.size(); p++) {
          window.params[p] = paramValues[p][i];
        }
        // Cursors hold the last index at or before the bound; the window is (start, end].
        floatFrom = SeriesData.advance(d.floatTs, d.floatCount, floatFrom, start);
        floatTo = SeriesData.advance(d.floatTs, d.floatCount, Math.max(floatTo, floatFrom), end);
        histFrom = SeriesData.advance(d.histTs, d.histCount, histFrom, start);
        histTo = SeriesData.advance(d.histTs, d.histCount, Math.max(histTo, histFrom), end);
        window.floatTs = d.floatTs;
        window.floatSt = d.floatSt;
        window.histSt = d.histSt;
        window.floatValues = d.floatValues;
        window.floatCount = d.floatCount;
        window.floatFrom = floatFrom + 1;
        window.floatTo = floatTo + 1;
        window.histTs = d.histTs;
        window.histograms = d.histograms;
        window.histTotal = d.histCount;
        window.histFrom = histFrom + 1;
        window.histTo = histTo + 1;
        if (window.floatFrom == window.floatTo && window.histFrom == window.histTo && !source.looksOutside()) {
          continue;
        }
        inWindow[i] += window.floatCount() + window.histCount();
        if (kernel.apply(window, result)) {
          if (result.histogram != null) {
            buf[i].addHistogram(id, result.histogram);
          } else {
            buf[i].add(id, result.value);
          }
        }
      }
      // Keep only what the next batch can still use.
      d.discardBefore(lastEnd - range - keepBefore);
    }
    for (int i = 0; i < n; i++) {
      ctx.addSamples(inWindow[i]);
      ctx.releaseSamples(inWindow[i]);
    }
    step += n;
    return n;
  }

  @Override
  public List<VectorOperator> children() {
    return params;
  }

  @Override
  public String describe() {
    return name + "(" + source.describe() + ")";
  }
}
