package dev.orrery.promql.exec.function;

import dev.orrery.core.histogram.FloatHistogram;
import dev.orrery.promql.exec.SeriesInfo;
import dev.orrery.promql.exec.StepVector;
import dev.orrery.promql.exec.VectorOperator;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * {@code histogram_count}, {@code histogram_sum}, {@code histogram_avg}, {@code histogram_stddev},
 * {@code histogram_stdvar}: each histogram sample becomes a float; float samples are dropped. The name is dropped.
 */
public final class HistogramToFloatOperator implements VectorOperator {
  private final VectorOperator child;
  private final ToDoubleFunction<FloatHistogram> fn;
  private final String name;
  private List<SeriesInfo> series;

  /** Applies {@code fn} to every histogram sample of {@code child}. */
  public HistogramToFloatOperator(VectorOperator child, ToDoubleFunction<FloatHistogram> fn, String name) {
    this.child = child;
    this.fn = fn;
    this.name = name;
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
    for (int i = 0; i < n; i++) {
      StepVector v = buf[i];
      int w = 0;
      for (int k = 0; k < v.size; k++) {
        FloatHistogram h = v.histograms[k];
        if (h == null) {
          continue;
        }
        v.ids[w] = v.ids[k];
        v.values[w] = fn.applyAsDouble(h);
        v.histograms[w] = null;
        w++;
      }
      v.truncate(w);
    }
    return n;
  }

  @Override
  public List<VectorOperator> children() {
    return List.of(child);
  }

  @Override
  public String describe() {
    return name;
  }
}
