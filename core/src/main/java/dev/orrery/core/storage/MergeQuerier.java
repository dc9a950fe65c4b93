package dev.orrery.core.storage;

import static java.util.Objects.requireNonNull;

import dev.orrery.core.labels.Matcher;
import dev.orrery.core.labels.Utf8Order;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Several queriers answering as one: series merged in label order ({@link MergeSeriesSet}, a series in several
 * queriers becomes one with its samples chained), label names and values united. Closing it closes them all.
 */
public final class MergeQuerier implements Querier {
  private final List<Querier> queriers;

  /** Merges {@code queriers}, which this querier owns afterwards. */
  public MergeQuerier(List<Querier> queriers) {
    this.queriers = List.copyOf(requireNonNull(queriers, "queriers is null"));
  }

  @Override
  public SeriesSet select(boolean sorted, SelectHints hints, Matcher... matchers) {
    List<SeriesSet> sets = new ArrayList<>(queriers.size());
    for (Querier q : queriers) {
      sets.add(q.select(true, hints, matchers));
    }
    return MergeSeriesSet.of(sets);
  }

  @Override
  public List<String> labelNames(Matcher... matchers) {
    TreeSet<String> out = new TreeSet<>(Utf8Order.COMPARATOR);
    for (Querier q : queriers) {
      out.addAll(q.labelNames(matchers));
    }
    return List.copyOf(out);
  }

  @Override
  public List<String> labelValues(String name, Matcher... matchers) {
    TreeSet<String> out = new TreeSet<>(Utf8Order.COMPARATOR);
    for (Querier q : queriers) {
      out.addAll(q.labelValues(name, matchers));
    }
    return List.copyOf(out);
  }

  @Override
  public void close() {
    for (Querier q : queriers) {
      q.close();
    }
  }
}
