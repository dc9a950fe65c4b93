package dev.orrery.promql.exec.function;

import dev.orrery.core.labels.Labels;
import dev.orrery.promql.exec.SeriesInfo;
import dev.orrery.promql.exec.StepVector;
import dev.orrery.promql.exec.VectorOperator;
import java.util.List;

/**
 * {@code sort}, {@code sort_desc}, {@code sort_by_label}, {@code sort_by_label_desc}: reorders each step's samples
 * (which only shows in instant query results). NaN sorts last for the value sorts; label sorts compare the given
 * labels in natural order, then the whole label set.
 */
public final class SortOperator implements VectorOperator {
  /** The sort functions. */
  public enum Kind { ASC, DESC, BY_LABEL, BY_LABEL_DESC }

  private final VectorOperator child;
  private final Kind kind;
  private final List<String> sortLabels;

  /** Sorts {@code child}'s steps; {@code sortLabels} for the label sorts. */
  public SortOperator(VectorOperator child, Kind kind, List<String> sortLabels) {
    this.child = child;
    this.kind = kind;
    this.sortLabels = sortLabels;
  }

  @Override
  public List<SeriesInfo> series() {
    return child.series();
  }

  @Override
  public int next(StepVector[] buf) {
    int n = child.next(buf);
    List<SeriesInfo> series = child.series();
    for (int i = 0; i < n; i++) {
      StepVector v = buf[i];
      if (kind == Kind.ASC || kind == Kind.DESC) {
        // Value sorts ignore histogram samples.
        int w = 0;
        for (int k = 0; k < v.size; k++) {
          if (v.histograms[k] == null) {
            v.ids[w] = v.ids[k];
            v.histograms[w] = null;
            v.values[w++] = v.values[k];
          }
        }
        v.truncate(w);
      }
      Integer[] order = new Integer[v.size];
      for (int k = 0; k < v.size; k++) {
        order[k] = k;
      }
      java.util.Arrays.sort(order, (a, b) -> compare(v, series, a, b));
      int[] ids = new int[v.size];
      double[] vals = new double[v.size];
      dev.orrery.core.histogram.FloatHistogram[] hs = new dev.orrery.core.histogram.FloatHistogram[v.size];
      for (int k = 0; k < v.size; k++) {
        ids[k] = v.ids[order[k]];
        vals[k] = v.values[order[k]];
        hs[k] = v.histograms[order[k]];
      }
      System.arraycopy(ids, 0, v.ids, 0, v.size);
      System.arraycopy(vals, 0, v.values, 0, v.size);
      System.arraycopy(hs, 0, v.histograms, 0, v.size);
    }
    return n;
  }

  private int compare(StepVector v, List<SeriesInfo> series, int a, int b) {
    switch (kind) {
      case ASC, DESC -> {
        double x = v.values[a];
        double y = v.values[b];
        boolean nx = Double.isNaN(x);
        boolean ny = Double.isNaN(y);
        if (nx || ny) {
          return Boolean.compare(nx, ny);
        }
        return kind == Kind.ASC ? Double.compare(x, y) : Double.compare(y, x);
      }
      default -> {
        Labels la = series.get(v.ids[a]).labels();
        Labels lb = series.get(v.ids[b]).labels();
        int c = 0;
        for (String l : sortLabels) {
          String x = la.get(l);
          String y = lb.get(l);
          if (!x.equals(y)) {
            c = NaturalOrder.compare(x, y);
            break;
          }
        }
        if (c == 0) {
          c = la.compareTo(lb);
        }
        return kind == Kind.BY_LABEL ? c : -c;
      }
    }
  }

  @Override
  public List<VectorOperator> children() {
    return List.of(child);
  }

  @Override
  public String describe() {
    return "sort(" + kind + ")";
  }
}
