package dev.orrery.promql.exec.scan;

import dev.orrery.core.labels.Matcher;
import dev.orrery.core.storage.SelectHints;
import dev.orrery.promql.exec.QueryContext;
import dev.orrery.promql.exec.SeriesInfo;
import dev.orrery.promql.exec.StepGrid;
import dev.orrery.promql.exec.StepVector;
import dev.orrery.promql.exec.VectorOperator;
import java.util.ArrayList;
import java.util.List;

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
  private final String text;
  private List<SeriesData> data;
  private List<SeriesInfo> series;
  private int step;

  /** A selector over {@code grid}; {@code atMillis} null without {@code @}. */
  public VectorSelectorOperator(QueryContext ctx, StepGrid grid, List<Matcher> matchers, long offsetMillis,
      Long atMillis, boolean emitTimestamps, boolean statsOnly, String text) {
    this.ctx = ctx;
    this.grid = grid;
    this.matchers = matchers;
    this.offsetMillis = offsetMillis;
    this.atMillis = atMillis;
    this.emitTimestamps = emitTimestamps;
    this.statsOnly = statsOnly;
    this.text = text;
  }

  private long evalTime(long t) {
    return (atMillis != null ? atMillis : t) - offsetMillis;
  }

  private void load() {
    if (data != null) {
      return;
    }
    long minT = evalTime(grid.startMillis());
    long maxT = evalTime(grid.endMillis());
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
    int n = 0;
    int steps = grid.steps();
    long lookback = ctx.lookbackDeltaMillis();
    while (n < buf.length && step < steps) {
      long t = grid.at(step);
      long te = evalTime(t);
      StepVector out = buf[n];
      out.reset(t);
      out.ensureCapacity(data.size());
      for (int id = 0; id < data.size(); id++) {
        SeriesData d = data.get(id);
        int fi = SeriesData.upperBound(d.floatTs, d.floatCount, te) - 1;
        int hi = SeriesData.upperBound(d.histTs, d.histCount, te) - 1;
        long ft = fi >= 0 ? d.floatTs[fi] : Long.MIN_VALUE;
        long ht = hi >= 0 ? d.histTs[hi] : Long.MIN_VALUE;
        if (ft == Long.MIN_VALUE && ht == Long.MIN_VALUE) {
          continue;
        }
        if (ft >= ht) {
          if (ft <= te - lookback || SeriesLoader.isStale(d.floatValues[fi])) {
            continue;
          }
          out.add(id, emitTimestamps ? ft / 1000.0 : d.floatValues[fi]);
        } else {
          if (ht <= te - lookback) {
            continue;
          }
          if (emitTimestamps) {
            out.add(id, ht / 1000.0);
          } else {
            out.addHistogram(id, d.histograms[hi]);
          }
        }
      }
      step++;
      n++;
    }
    return n;
  }

  @Override
  public List<VectorOperator> children() {
    return List.of();
  }

  @Override
  public String describe() {
    return "vectorSelector " + text;
  }
}
