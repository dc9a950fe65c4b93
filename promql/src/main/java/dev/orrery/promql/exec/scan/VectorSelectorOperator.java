package dev.orrery.promql.exec.scan;

import dev.orrery.core.histogram.CounterResetHint;
import dev.orrery.core.histogram.FloatHistogram;
import dev.orrery.core.histogram.HistogramArithmetic;
import dev.orrery.core.histogram.HistogramCounterResets;
import dev.orrery.core.labels.Matcher;
import dev.orrery.core.storage.SelectHints;
import dev.orrery.promql.exec.QueryContext;
import dev.orrery.promql.exec.SeriesInfo;
import dev.orrery.promql.exec.StepGrid;
import dev.orrery.promql.exec.StepVector;
import dev.orrery.promql.exec.VectorOperator;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * An instant vector selector: at each step {@code t} the newest sample in {@code (t' - lookback, t']} with
 * {@code t' = (@ or t) - offset}, nothing when that sample is a stale marker. With {@code emitTimestamps} it yields
 * the sample's timestamp in seconds instead (the {@code timestamp()} function over a selector), dropping the name.
 */
public final class VectorSelectorOperator implements VectorOperator {
  private final QueryContext ctx;
  private final StepGrid grid;
  private final List<Matcher> matchers;
  private final long offsetMillis;
  private final Long atMillis;
  private final boolean emitTimestamps;
  private final boolean statsOnly;
  private boolean smoothed;
  private boolean emitStarts;
  private int position = -1;
  /** The selector's PromQL, printed only when the plan is described. */
  private final Supplier<String> text;
  private List<SeriesData> data;
  private List<SeriesInfo> series;
  private int step;

  /** A selector over {@code grid}; {@code atMillis} null without {@code @}. */
  public VectorSelectorOperator(QueryContext ctx, StepGrid grid, List<Matcher> matchers, long offsetMillis,
      Long atMillis, boolean emitTimestamps, boolean statsOnly, Supplier<String> text) {
    this.ctx = ctx;
    this.grid = grid;
    this.matchers = matchers;
    this.offsetMillis = offsetMillis;
    this.atMillis = atMillis;
    this.emitTimestamps = emitTimestamps;
    this.statsOnly = statsOnly;
    this.text = text;
  }

  /** Makes this {@code start_timestamp(selector)}: each sample's start time in seconds (0 when unknown). */
  public VectorSelectorOperator emittingStartTimestamps() {
    this.emitStarts = true;
    return this;
  }

  /**
   * Makes this a {@code smoothed} selector (experimental): the value at the evaluation time is interpolated linearly
   * between the samples around it, or the last sample when none follows.
   */
  public VectorSelectorOperator smoothed(int position) {
    this.smoothed = true;
    this.position = position;
    return this;
  }

  private long evalTime(long t) {
    return (atMillis != null ? atMillis : t) - offsetMillis;
  }

  private void load() {
    if (data != null) {
      return;
    }
    long minT = evalTime(grid.startMillis());
    long maxT = evalTime(grid.endMillis()) + (smoothed ? ctx.lookbackDeltaMillis() : 0);
    long mint = minT - ctx.lookbackDeltaMillis() + 1;
    SelectHints hints = new SelectHints(mint, maxT, grid.stepMillis(), "", 0, List.of(), false, true, List.of(),
        true, 0);
    data = SeriesLoader.load(ctx, matchers, mint, maxT, hints, true, statsOnly);
    series = new ArrayList<>(data.size());
    for (SeriesData d : data) {
      series.add(new SeriesInfo(d.labels(), emitTimestamps));
    }
  }

  @Override
  public List<SeriesInfo> series() {
    load();
    return series;
  }

  @Override
  public int next(StepVector[] buf) {
    load();
    ctx.checkInterrupted();
    int n = Math.min(buf.length, grid.steps() - step);
    if (n <= 0) {
      return 0;
    }
    long[] evalTimes = new long[n];
    for (int i = 0; i < n; i++) {
      long t = grid.at(step + i);
      evalTimes[i] = evalTime(t);
      buf[i].reset(t);
      buf[i].ensureCapacity(data.size());
    }
    // Series-major within the batch: each series' decoder and buffer are touched once per batch while they are hot in
    // cache, instead of once per step across every series. Samples are decoded up to SeriesData.FILL_AHEAD_MILLIS past
    // the step (bulk copies), and the sample at each step is found by moving a cursor forward.
    long lookback = ctx.lookbackDeltaMillis();
    long ahead = smoothed ? lookback : 0;
    long lastTe = evalTimes[n - 1];
    for (int id = 0; id < data.size(); id++) {
      SeriesData d = data.get(id);
      int fi = -1;
      int hi = -1;
      for (int i = 0; i < n; i++) {
        long te = evalTimes[i];
        d.fillTo(Math.min(lastTe, te + SeriesData.FILL_AHEAD_MILLIS) + ahead);
        fi = SeriesData.advance(d.floatTs, d.floatCount, fi, te);
        hi = SeriesData.advance(d.histTs, d.histCount, hi, te);
        selectAt(buf[i], id, d, te, fi, hi);
      }
      // Keep only what the next batch can still use (compacting here, where no cursor is live).
      d.discardBefore(lastTe - lookback);
    }
    step += n;
    return n;
  }

  /**
   * Adds series id's sample at evaluation time te to out, if it has one; fi and hi index the newest float and
   * histogram samples at or before te (-1 for none).
   */
  private void selectAt(StepVector out, int id, SeriesData d, long te, int fi, int hi) {
    long lookback = ctx.lookbackDeltaMillis();
    if (smoothed && !emitTimestamps) {
      smoothedSample(out, id, d, te, lookback);
      return;
    }
    long ft = fi >= 0 ? d.floatTs[fi] : Long.MIN_VALUE;
    long ht = hi >= 0 ? d.histTs[hi] : Long.MIN_VALUE;
    if (ft == Long.MIN_VALUE && ht == Long.MIN_VALUE) {
      return;
    }
    if (ft >= ht) {
      if (ft <= te - lookback || SeriesLoader.isStale(d.floatValues[fi])) {
        return;
      }
      double value = d.floatValues[fi];
      int next = fi + 1;
      if (smoothed && ft < te && next < d.floatCount && !SeriesLoader.isStale(d.floatValues[next])
          && d.floatTs[next] - te < lookback) {
        double f = (double) (te - ft) / (d.floatTs[next] - ft);
        value = value + (d.floatValues[next] - value) * f;
      }
      if (emitStarts) {
        out.add(id, (d.floatSt == null ? 0 : d.floatSt[fi]) / 1000.0);
        return;
      }
      out.add(id, emitTimestamps ? ft / 1000.0 : value);
    } else {
      if (ht <= te - lookback) {
        return;
      }
      if (emitStarts) {
        out.add(id, (d.histSt == null ? 0 : d.histSt[hi]) / 1000.0);
      } else if (emitTimestamps) {
        out.add(id, ht / 1000.0);
      } else {
        out.addHistogram(id, d.histograms[hi]);
      }
    }
  }

  // The value at te interpolated between the samples around it (the smoothed modifier).
  private void smoothedSample(StepVector out, int id, SeriesData d, long te, long lookback) {
    int fi = SeriesData.upperBound(d.floatTs, d.floatCount, te) - 1;
    int hi = SeriesData.upperBound(d.histTs, d.histCount, te) - 1;
    long ft = fi >= 0 ? d.floatTs[fi] : Long.MIN_VALUE;
    long ht = hi >= 0 ? d.histTs[hi] : Long.MIN_VALUE;
    boolean prevHist = ht > ft;
    long pt = Math.max(ft, ht);
    if (pt == Long.MIN_VALUE || pt <= te - lookback || (!prevHist && SeriesLoader.isStale(d.floatValues[fi]))) {
      return;
    }
    int fn = fi + 1;
    int hn = hi + 1;
    long nft = fn < d.floatCount ? d.floatTs[fn] : Long.MAX_VALUE;
    long nht = hn < d.histCount ? d.histTs[hn] : Long.MAX_VALUE;
    boolean nextHist = nht < nft;
    long nt = Math.min(nft, nht);
    boolean hasNext = pt < te && nt != Long.MAX_VALUE && nt - te < lookback
        && (nextHist || !SeriesLoader.isStale(d.floatValues[fn]));
    if (!hasNext) {
      if (prevHist) {
        out.addHistogram(id, d.histograms[hi]);
      } else {
        out.add(id, d.floatValues[fi]);
      }
      return;
    }
    String name = d.labels().metricName();
    if (prevHist != nextHist) {
      ctx.annotations().warn("encountered a mix of histograms and floats for metric name \"" + name + "\"", position);
      return;
    }
    double f = (double) (te - pt) / (nt - pt);
    if (!prevHist) {
      double v = d.floatValues[fi];
      out.add(id, v + (d.floatValues[fn] - v) * f);
      return;
    }
    FloatHistogram h0 = d.histograms[hi];
    FloatHistogram h1 = d.histograms[hn];
    if (HistogramArithmetic.usesCustomBuckets(h0) != HistogramArithmetic.usesCustomBuckets(h1)) {
      ctx.annotations().warn("vector contains a mix of histograms with exponential and custom buckets schemas for "
          + "metric name \"" + name + "\"", position);
      return;
    }
    if (h1.counterResetHint() != CounterResetHint.GAUGE && HistogramCounterResets.detectReset(h0, h1)) {
      out.addHistogram(id, HistogramArithmetic.scale(h1, f));
      return;
    }
    out.addHistogram(id, HistogramArithmetic.add(HistogramArithmetic.scale(h0, 1 - f),
        HistogramArithmetic.scale(h1, f)).value());
  }

  @Override
  public List<VectorOperator> children() {
    return List.of();
  }

  @Override
  public String describe() {
    return "vectorSelector " + text.get();
  }
}
