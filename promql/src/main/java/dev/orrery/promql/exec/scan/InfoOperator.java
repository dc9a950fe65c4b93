package dev.orrery.promql.exec.scan;

import dev.orrery.core.labels.Labels;
import dev.orrery.core.labels.LabelsBuilder;
import dev.orrery.core.labels.Matcher;
import dev.orrery.core.storage.SelectHints;
import dev.orrery.promql.engine.QueryException;
import dev.orrery.promql.exec.QueryContext;
import dev.orrery.promql.exec.SeriesInfo;
import dev.orrery.promql.exec.StepGrid;
import dev.orrery.promql.exec.StepVector;
import dev.orrery.promql.exec.VectorOperator;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongUnaryOperator;

/**
 * The experimental {@code info(v, {selector})}: adds to each series of {@code v} the data labels of the info series
 * ({@code target_info} unless the selector names others) that share its identifying labels ({@code instance},
 * {@code job}), as of the series' own reference time ({@code @} and {@code offset} included). Labels already present
 * win; among info series of one metric the one with the latest sample wins; two info metrics disagreeing on a label
 * fail the query. A series without a matching info series passes unchanged when the selector's data matchers accept
 * the empty value, and is dropped otherwise; info series themselves pass unchanged. The output label sets depend on
 * the data, so the whole input is evaluated when the series are first asked for.
 */
public final class InfoOperator implements VectorOperator {
  private static final List<String> IDENTIFYING = List.of("instance", "job");

  private final QueryContext ctx;
  private final StepGrid grid;
  private final VectorOperator child;
  private final List<Matcher> infoMatchers;
  private final List<Matcher> nameMatchers;
  private final List<String> dataLabels;
  private final boolean fallBackToBase;
  private final LongUnaryOperator referenceTime;
  private List<SeriesInfo> series;
  private List<long[]> stepTimes;
  private List<int[]> stepIds;
  private List<double[]> stepValues;
  private List<dev.orrery.core.histogram.FloatHistogram[]> stepHists;
  private int step;

  /**
   * @param infoMatchers matchers selecting the info series (name and data matchers)
   * @param nameMatchers the {@code __name__} matchers, which also tell which input series are info series
   * @param dataLabels the data labels to copy, or {@code null} for all but the name and identifying labels
   * @param fallBackToBase whether a series without an info match passes unchanged
   * @param referenceTime maps a step time to the time the info series are looked up at
   */
  public InfoOperator(QueryContext ctx, StepGrid grid, VectorOperator child, List<Matcher> infoMatchers,
      List<Matcher> nameMatchers, List<String> dataLabels, boolean fallBackToBase,
      LongUnaryOperator referenceTime) {
    this.ctx = ctx;
    this.grid = grid;
    this.child = child;
    this.infoMatchers = infoMatchers;
    this.nameMatchers = nameMatchers;
    this.dataLabels = dataLabels;
    this.fallBackToBase = fallBackToBase;
    this.referenceTime = referenceTime;
  }

  private boolean isInfoSeries(Labels l) {
    if (!l.has(Labels.METRIC_NAME)) {
      return false;
    }
    // Only positive name matchers identify info metrics; negative ones merely exclude.
    boolean positive = false;
    for (Matcher m : nameMatchers) {
      positive |= !m.type().isNegative();
    }
    if (!positive) {
      return false;
    }
    for (Matcher m : nameMatchers) {
      if (!m.matches(l.metricName())) {
        return false;
      }
    }
    return true;
  }

  private static String key(Labels l) {
    StringBuilder sb = new StringBuilder();
    for (String n : IDENTIFYING) {
      sb.append(l.get(n)).append('\u0000');
    }
    return sb.toString();
  }

  private static boolean hasIdentifying(Labels l) {
    for (String n : IDENTIFYING) {
      if (l.has(n)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public List<SeriesInfo> series() {
    if (series != null) {
      return series;
    }
    long minRef = Long.MAX_VALUE;
    long maxRef = Long.MIN_VALUE;
    for (int i = 0; i < grid.steps(); i++) {
      long r = referenceTime.applyAsLong(grid.at(i));
      minRef = Math.min(minRef, r);
      maxRef = Math.max(maxRef, r);
    }
    long lookback = ctx.lookbackDeltaMillis();
    long mint = minRef - lookback + 1;
    SelectHints hints = SelectHints.ofRange(mint, maxRef);
    List<SeriesData> infos = SeriesLoader.load(ctx, infoMatchers, mint, maxRef, hints, true, false);
    Map<String, List<SeriesData>> byKey = new HashMap<>();
    for (SeriesData d : infos) {
      d.fillTo(maxRef);
      if (d.histCount > 0) {
        throw QueryException.execution("info series " + d.labels() + " has native histogram samples; info metrics "
            + "must be floats");
      }
      byKey.computeIfAbsent(key(d.labels()), k -> new ArrayList<>()).add(d);
    }
    List<SeriesInfo> in = child.series();
    Map<Labels, Integer> ids = new HashMap<>();
    series = new ArrayList<>();
    stepTimes = new ArrayList<>();
    stepIds = new ArrayList<>();
    stepValues = new ArrayList<>();
    stepHists = new ArrayList<>();
    StepVector[] buf = StepVector.newBatch(Math.min(64, grid.steps()));
    for (int n = child.next(buf); n > 0; n = child.next(buf)) {
      for (int i = 0; i < n; i++) {
        StepVector v = buf[i];
        long ref = referenceTime.applyAsLong(v.t);
        int[] outIds = new int[v.size];
        double[] outVals = new double[v.size];
        dev.orrery.core.histogram.FloatHistogram[] outHists = new dev.orrery.core.histogram.FloatHistogram[v.size];
        int w = 0;
        for (int k = 0; k < v.size; k++) {
          SeriesInfo base = in.get(v.ids[k]);
          Labels out = enrich(base.labels(), byKey, ref, lookback);
          if (out == null) {
            continue;
          }
          Integer id = ids.get(out);
          if (id == null) {
            id = series.size();
            ids.put(out, id);
            series.add(new SeriesInfo(out, base.dropName()));
          }
          outIds[w] = id;
          outVals[w] = v.values[k];
          outHists[w++] = v.histograms[k];
        }
        stepTimes.add(new long[] {v.t});
        stepIds.add(java.util.Arrays.copyOf(outIds, w));
        stepValues.add(java.util.Arrays.copyOf(outVals, w));
        stepHists.add(java.util.Arrays.copyOf(outHists, w));
      }
    }
    return series;
  }

  // The enriched labels of base at reference time ref, or null when the series is to be dropped.
  private Labels enrich(Labels base, Map<String, List<SeriesData>> byKey, long ref, long lookback) {
    if (isInfoSeries(base)) {
      return base;
    }
    List<SeriesData> candidates = hasIdentifying(base) ? byKey.get(key(base)) : null;
    // The current info series per metric name: the one with the latest sample.
    Map<String, SeriesData> chosen = new TreeMap<>();
    Map<String, Long> chosenT = new HashMap<>();
    if (candidates != null) {
      for (SeriesData d : candidates) {
        int fi = SeriesData.upperBound(d.floatTs, d.floatCount, ref) - 1;
        if (fi < 0 || d.floatTs[fi] <= ref - lookback || SeriesLoader.isStale(d.floatValues[fi])) {
          continue;
        }
        String name = d.labels().metricName();
        Long prev = chosenT.get(name);
        if (prev == null || d.floatTs[fi] > prev) {
          chosen.put(name, d);
          chosenT.put(name, d.floatTs[fi]);
        }
      }
    }
    if (chosen.isEmpty()) {
      return fallBackToBase ? base : null;
    }
    Map<String, String> add = new TreeMap<>();
    for (SeriesData d : chosen.values()) {
      Labels l = d.labels();
      for (int i = 0; i < l.size(); i++) {
        String n = l.name(i);
        if (n.equals(Labels.METRIC_NAME) || IDENTIFYING.contains(n)) {
          continue;
        }
        if (dataLabels != null && !dataLabels.contains(n)) {
          continue;
        }
        String prev = add.put(n, l.value(i));
        if (prev != null && !prev.equals(l.value(i))) {
          throw QueryException.execution("conflicting label: " + n + " has values \"" + prev + "\" and \""
              + l.value(i) + "\" in different info metrics");
        }
      }
    }
    LabelsBuilder b = base.toBuilder();
    for (Map.Entry<String, String> e : add.entrySet()) {
      if (!base.has(e.getKey())) {
        b.set(e.getKey(), e.getValue());
      }
    }
    return b.build();
  }

  @Override
  public int next(StepVector[] buf) {
    series();
    int n = 0;
    while (n < buf.length && step < stepTimes.size()) {
      StepVector v = buf[n++];
      v.reset(stepTimes.get(step)[0]);
      int[] ids = stepIds.get(step);
      for (int k = 0; k < ids.length; k++) {
        if (stepHists.get(step)[k] != null) {
          v.addHistogram(ids[k], stepHists.get(step)[k]);
        } else {
          v.add(ids[k], stepValues.get(step)[k]);
        }
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
    return "info" + infoMatchers;
  }
}
