package dev.orrery.core.storage;

import dev.orrery.core.labels.Labels;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;

/**
 * An answer of an {@link ExemplarSource}: series with their exemplars, and the warnings of stores that failed under
 * partial response. Immutable.
 *
 * @param series the series, sorted by labels
 * @param warnings what went wrong without failing the call
 */
public record ExemplarSet(List<ExemplarSeries> series, List<String> warnings) {
  /** No exemplars and no warnings. */
  public static final ExemplarSet EMPTY = new ExemplarSet(List.of(), List.of());

  private static final Comparator<Exemplar> EXEMPLAR_ORDER = Comparator.comparingLong(Exemplar::timestampMillis)
      .thenComparing(Exemplar::labels).thenComparingDouble(Exemplar::value);

  /** Copies both lists. */
  public ExemplarSet {
    series = List.copyOf(series);
    warnings = List.copyOf(warnings);
  }

  /**
   * Merges the series of several stores as Thanos' querier does: {@code replicaLabels} are dropped from the series
   * labels, series with the same labels become one, and its exemplars are sorted by time with duplicates (same time,
   * labels and value, as replicas scrape them) kept once.
   */
  public static ExemplarSet merge(List<ExemplarSeries> series, Collection<String> replicaLabels,
      List<String> warnings) {
    TreeMap<Labels, List<Exemplar>> byLabels = new TreeMap<>();
    for (ExemplarSeries s : series) {
      byLabels.computeIfAbsent(s.seriesLabels().without(replicaLabels), k -> new ArrayList<>())
          .addAll(s.exemplars());
    }
    List<ExemplarSeries> out = new ArrayList<>(byLabels.size());
    byLabels.forEach((labels, exemplars) -> {
      exemplars.sort(EXEMPLAR_ORDER);
      List<Exemplar> distinct = new ArrayList<>(exemplars.size());
      for (Exemplar e : exemplars) {
        Exemplar last = distinct.isEmpty() ? null : distinct.get(distinct.size() - 1);
        if (last == null || EXEMPLAR_ORDER.compare(last, e) != 0) {
          distinct.add(e);
        }
      }
      out.add(new ExemplarSeries(labels, distinct));
    });
    return new ExemplarSet(out, warnings);
  }

  /** These series with {@code external} added to their labels (an external label wins over one of the same name). */
  public ExemplarSet withExternalLabels(Labels external) {
    if (external.isEmpty()) {
      return this;
    }
    List<ExemplarSeries> out = new ArrayList<>(series.size());
    for (ExemplarSeries s : series) {
      out.add(new ExemplarSeries(s.seriesLabels().withAll(external), s.exemplars()));
    }
    return new ExemplarSet(out, warnings);
  }
}
