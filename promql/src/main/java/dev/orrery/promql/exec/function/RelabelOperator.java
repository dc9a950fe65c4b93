package dev.orrery.promql.exec.function;

import dev.orrery.core.labels.Labels;
import dev.orrery.promql.engine.QueryException;
import dev.orrery.promql.exec.SeriesInfo;
import dev.orrery.promql.exec.StepVector;
import dev.orrery.promql.exec.VectorOperator;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * {@code label_replace} and {@code label_join}: each input series gets new labels; series that end up with the same
 * labels share an output id, and meeting at one step is an error, as in Prometheus.
 */
public final class RelabelOperator implements VectorOperator {
  private final VectorOperator child;
  private final Function<SeriesInfo, SeriesInfo> relabel;
  private final String name;
  private List<SeriesInfo> series;
  private int[] outOf;
  private int[] seenAt;

  /** Relabels {@code child}'s series with {@code relabel}. */
  public RelabelOperator(VectorOperator child, Function<SeriesInfo, SeriesInfo> relabel, String name) {
    this.child = child;
    this.relabel = relabel;
    this.name = name;
  }

  @Override
  public List<SeriesInfo> series() {
    if (series == null) {
      List<SeriesInfo> in = child.series();
      outOf = new int[in.size()];
      Map<Labels, Integer> ids = new HashMap<>();
      series = new ArrayList<>();
      for (int i = 0; i < in.size(); i++) {
        SeriesInfo s = relabel.apply(in.get(i));
        Integer id = ids.get(s.labels());
        if (id == null) {
          id = series.size();
          ids.put(s.labels(), id);
          series.add(s);
        } else if (series.get(id).dropName() != s.dropName()) {
          series.set(id, new SeriesInfo(s.labels(), series.get(id).dropName() && s.dropName()));
        }
        outOf[i] = id;
      }
      seenAt = new int[series.size()];
    }
    return series;
  }

  @Override
  public int next(StepVector[] buf) {
    series();
    int n = child.next(buf);
    for (int i = 0; i < n; i++) {
      StepVector v = buf[i];
      java.util.Arrays.fill(seenAt, 0);
      for (int k = 0; k < v.size; k++) {
        int id = outOf[v.ids[k]];
        if (seenAt[id]++ > 0) {
          throw QueryException.execution("vector cannot contain metrics with the same labelset");
        }
        v.ids[k] = id;
      }
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
