package dev.orrery.promql.exec.function;

import dev.orrery.core.histogram.FloatHistogram;
import dev.orrery.core.io.GoFloat;
import dev.orrery.core.labels.Labels;
import dev.orrery.promql.exec.Batches;
import dev.orrery.promql.exec.QueryContext;
import dev.orrery.promql.exec.SeriesInfo;
import dev.orrery.promql.exec.StepVector;
import dev.orrery.promql.exec.VectorOperator;
import dev.orrery.promql.function.ClassicBuckets;
import dev.orrery.promql.histogram.HistogramQuantiles;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code histogram_quantile}, {@code histogram_quantiles} and {@code histogram_fraction} over native histograms and
 * classic buckets: float series with an {@code le} label are grouped by their other labels into one classic histogram
 * per group and step. A native histogram and classic buckets with the same labels at one step conflict and yield
 * nothing (with a warning).
 */
public final class HistogramQuantileOperator implements VectorOperator {
  /** Which function. */
  public enum Mode { QUANTILE, QUANTILES, FRACTION }

  private final QueryContext ctx;
  private final VectorOperator child;
  private final Mode mode;
  private final List<VectorOperator> params;
  private final String quantileLabel;
  private final double[] quantileValues;
  private final int paramPosition;
  private final int vectorPosition;
  private List<SeriesInfo> series;
  // per input series: output base id (native), classic group id or -1, le bound
  private int[] nativeOut;
  private int[] groupOf;
  private double[] le;
  private int groups;
  private int[] groupOut;
  private int perBase;
  private StepVector[][] scratch;

  /**
   * @param params the scalar arguments: q (QUANTILE), the quantiles (QUANTILES), lower and upper (FRACTION)
   * @param quantileLabel the label that carries q for QUANTILES
   * @param quantileValues the constant quantiles of QUANTILES, for the label values
   */
  public HistogramQuantileOperator(QueryContext ctx, VectorOperator child, Mode mode, List<VectorOperator> params,
      String quantileLabel, double[] quantileValues, int paramPosition, int vectorPosition) {
    this.ctx = ctx;
    this.child = child;
    this.mode = mode;
    this.params = params;
    this.quantileLabel = quantileLabel;
    this.quantileValues = quantileValues;
    this.paramPosition = paramPosition;
    this.vectorPosition = vectorPosition;
  }

  @Override
  public List<SeriesInfo> series() {
    if (series != null) {
      return series;
    }
    List<SeriesInfo> in = child.series();
    perBase = mode == Mode.QUANTILES ? params.size() : 1;
    Map<Labels, Integer> baseIds = new HashMap<>();
    List<Labels> bases = new ArrayList<>();
    nativeOut = new int[in.size()];
    groupOf = new int[in.size()];
    le = new double[in.size()];
    Map<Labels, Integer> groupIds = new HashMap<>();
    List<Integer> groupBase = new ArrayList<>();
    for (int i = 0; i < in.size(); i++) {
      Labels l = in.get(i).labels();
      String leValue = l.get("le");
      Labels base = l.has("le") ? l.toBuilder().delete("le").build() : l;
      int b = baseIds.computeIfAbsent(base, k -> {
        bases.add(k);
        return bases.size() - 1;
      });
      nativeOut[i] = b;
      groupOf[i] = -1;
      if (l.has("le")) {
        double bound;
        try {
          bound = parseLe(leValue);
        } catch (NumberFormatException e) {
          bound = Double.NaN;
        }
        le[i] = bound;
        if (!Double.isNaN(bound)) {
          int g = groupIds.computeIfAbsent(base, k -> {
            groupBase.add(b);
            return groupBase.size() - 1;
          });
          groupOf[i] = g;
        }
      } else {
        le[i] = Double.NaN;
      }
    }
    groups = groupBase.size();
    groupOut = new int[groups];
    for (int g = 0; g < groups; g++) {
      groupOut[g] = groupBase.get(g);
    }
    series = new ArrayList<>(bases.size() * perBase);
    for (Labels base : bases) {
      for (int k = 0; k < perBase; k++) {
        Labels l = mode == Mode.QUANTILES
            ? base.toBuilder().set(quantileLabel, quantileLabelValue(quantileValues[k])).build() : base;
        series.add(new SeriesInfo(l, true));
      }
    }
    return series;
  }

  private static double parseLe(String s) {
    String t = s.strip();
    return switch (t.toLowerCase()) {
      case "+inf", "inf" -> Double.POSITIVE_INFINITY;
      case "-inf" -> Double.NEGATIVE_INFINITY;
      case "nan" -> Double.NaN;
      default -> {
        if (t.isEmpty() || !t.matches("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?|[+-]?0[xX][0-9a-fA-F]+")) {
          throw new NumberFormatException(s);
        }
        yield t.startsWith("0x") || t.startsWith("0X") ? (double) Long.decode(t) : Double.parseDouble(t);
      }
    };
  }

  @Override
  public int next(StepVector[] buf) {
    series();
    int n = child.next(buf);
    if (n == 0) {
      return 0;
    }
    List<SeriesInfo> in = child.series();
    double[][] args = new double[params.size()][n];
    if (scratch == null) {
      scratch = new StepVector[params.size()][];
    }
    for (int p = 0; p < params.size(); p++) {
      scratch[p] = Batches.readScalars(params.get(p), n, args[p], scratch[p]);
    }
    double[][] bounds = new double[groups][];
    double[][] counts = new double[groups][];
    int[] sizes = new int[groups];
    int baseCount = series.size() / perBase;
    int[] nativeAt = new int[baseCount];
    for (int i = 0; i < n; i++) {
      StepVector v = buf[i];
      if (mode != Mode.FRACTION) {
        for (int p = 0; p < params.size(); p++) {
          double q = args[p][i];
          if (Double.isNaN(q) || q < 0 || q > 1) {
            ctx.annotations().warn("quantile value should be between 0 and 1, got " + GoFloat.formatG(q),
                paramPosition);
          }
        }
      }
      java.util.Arrays.fill(sizes, 0);
      java.util.Arrays.fill(nativeAt, -1);
      int nativeCount = 0;
      FloatHistogram[] natives = new FloatHistogram[v.size];
      int[] nativeIn = new int[v.size];
      for (int k = 0; k < v.size; k++) {
        int id = v.ids[k];
        if (v.histograms[k] != null) {
          natives[nativeCount] = v.histograms[k];
          nativeIn[nativeCount++] = id;
          continue;
        }
        int g = groupOf[id];
        if (g < 0) {
          Labels l = in.get(id).labels();
          ctx.annotations().warn("bucket label \"le\" is missing or has a malformed value of \"" + l.get("le")
              + "\" for metric name \"" + l.metricName() + "\"", vectorPosition);
          continue;
        }
        if (bounds[g] == null) {
          bounds[g] = new double[8];
          counts[g] = new double[8];
        }
        if (sizes[g] == bounds[g].length) {
          bounds[g] = java.util.Arrays.copyOf(bounds[g], sizes[g] * 2);
          counts[g] = java.util.Arrays.copyOf(counts[g], sizes[g] * 2);
        }
        bounds[g][sizes[g]] = le[id];
        counts[g][sizes[g]++] = v.values[k];
      }
      StepVector out = v;
      // Compute into temporary lists, then rewrite v.
      int total = 0;
      int[] outIds = new int[(nativeCount + groups) * perBase];
      double[] outVals = new double[outIds.length];
      boolean[] conflicted = new boolean[baseCount];
      for (int j = 0; j < nativeCount; j++) {
        int base = nativeOut[nativeIn[j]];
        nativeAt[base] = j;
      }
      for (int g = 0; g < groups; g++) {
        if (sizes[g] > 0 && nativeAt[groupOut[g]] >= 0) {
          conflicted[groupOut[g]] = true;
          ctx.annotations().warn("vector contains a mix of classic and native histograms for metric name \""
              + series.get(groupOut[g] * perBase).labels().metricName() + "\"", vectorPosition);
        }
      }
      for (int j = 0; j < nativeCount; j++) {
        int base = nativeOut[nativeIn[j]];
        if (conflicted[base]) {
          continue;
        }
        FloatHistogram h = natives[j];
        String name = in.get(nativeIn[j]).labels().metricName();
        for (int k = 0; k < perBase; k++) {
          outIds[total] = base * perBase + k;
          outVals[total++] = nativeValue(h, args, i, k, name);
        }
      }
      for (int g = 0; g < groups; g++) {
        if (sizes[g] == 0 || conflicted[groupOut[g]]) {
          continue;
        }
        String name = series.get(groupOut[g] * perBase).labels().metricName();
        for (int k = 0; k < perBase; k++) {
          double[] b = java.util.Arrays.copyOf(bounds[g], sizes[g]);
          double[] c = java.util.Arrays.copyOf(counts[g], sizes[g]);
          double value;
          if (mode == Mode.FRACTION) {
            value = ClassicBuckets.fraction(args[0][i], args[1][i], b, c, sizes[g]);
          } else {
            ClassicBuckets.Quantile q = ClassicBuckets.quantile(args[k][i], b, c, sizes[g]);
            if (q.forcedMonotonicity()) {
              ctx.annotations().info("input to histogram_quantile needed to be fixed for monotonicity (see "
                  + "https://prometheus.io/docs/prometheus/latest/querying/functions/#histogram_quantile) for metric "
                  + "name \"" + name + "\"", vectorPosition);
            }
            value = q.value();
          }
          outIds[total] = groupOut[g] * perBase + k;
          outVals[total++] = value;
        }
      }
      long t = out.t;
      out.reset(t);
      for (int k = 0; k < total; k++) {
        out.add(outIds[k], outVals[k]);
      }
    }
    return n;
  }

  private double nativeValue(FloatHistogram h, double[][] args, int i, int k, String name) {
    if (mode == Mode.FRACTION) {
      if (HistogramQuantiles.hasNaNObservations(h)) {
        ctx.annotations().info("input to histogram_fraction has NaN observations, which are excluded from all "
            + "fractions for metric name \"" + name + "\"", vectorPosition);
      }
      return HistogramQuantiles.fraction(args[0][i], args[1][i], h);
    }
    HistogramQuantiles.QuantileResult r = HistogramQuantiles.quantile(args[k][i], h);
    switch (r.nan()) {
      case RESULT_NAN -> ctx.annotations().info("input to histogram_quantile has NaN observations, result is NaN"
          + " for metric name \"" + name + "\"", vectorPosition);
      case SKEWED -> ctx.annotations().info("input to histogram_quantile has NaN observations, result is skewed "
          + "higher for metric name \"" + name + "\"", vectorPosition);
      case NONE -> { }
    }
    return r.value();
  }

  /** The label value carrying quantile {@code k} for QUANTILES (Go's %v of the float). */
  static String quantileLabelValue(double q) {
    String s = GoFloat.formatV(q);
    // Whole numbers keep a ".0", as in the le labels Prometheus writes.
    if (s.matches("-?\\d+")) {
      s += ".0";
    }
    return s;
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
    return mode.name().toLowerCase() + (quantileLabel != null ? "(" + quantileLabel + ")" : "");
  }
}
