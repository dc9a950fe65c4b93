package dev.orrery.core.block;

import dev.orrery.core.chunk.SampleIterator;
import dev.orrery.core.labels.Labels;
import dev.orrery.core.labels.LabelsBuilder;
import dev.orrery.core.labels.Matcher;
import dev.orrery.core.labels.Utf8Order;
import dev.orrery.core.storage.Querier;
import dev.orrery.core.storage.SelectHints;
import dev.orrery.core.storage.Series;
import dev.orrery.core.storage.SeriesSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Shows a block's series with the block's external labels (the Thanos section of meta.json) added, as a store
 * gateway serves them: an external label replaces a series label of the same name, matchers on external label names
 * are decided once per block, and the other matchers go to the index. Adding labels can change the order of series,
 * so a sorted selection is re-sorted. Confined to one thread.
 */
final class ExternalLabelsQuerier implements Querier {
  private static final Matcher ALL = Matcher.regex(Labels.METRIC_NAME, ".*");

  private final Querier inner;
  private final Map<String, String> external;

  ExternalLabelsQuerier(Querier inner, Map<String, String> external) {
    this.inner = inner;
    this.external = external;
  }

  /** Matchers that do not name an external label, or {@code null} when an external-label matcher fails. */
  private Matcher[] indexMatchers(Matcher[] matchers) {
    List<Matcher> rest = new ArrayList<>(matchers.length);
    for (Matcher m : matchers) {
      String value = external.get(m.name());
      if (value == null) {
        rest.add(m);
      } else if (!m.matches(value)) {
        return null;
      }
    }
    if (rest.isEmpty()) {
      rest.add(ALL);
    }
    return rest.toArray(new Matcher[0]);
  }

  @Override
  public SeriesSet select(boolean sorted, SelectHints hints, Matcher... matchers) {
    Matcher[] rest = indexMatchers(matchers);
    if (rest == null) {
      return SeriesSet.empty();
    }
    SeriesSet set = inner.select(sorted, hints, rest);
    LabelsBuilder b = new LabelsBuilder();
    List<Series> out = new ArrayList<>();
    while (set.next()) {
      Series s = set.at();
      b.reset(s.labels());
      external.forEach(b::set);
      out.add(new Relabelled(b.build(), s));
    }
    if (sorted) {
      out.sort((x, y) -> x.labels().compareTo(y.labels()));
    }
    return SeriesSet.of(out);
  }

  @Override
  public List<String> labelNames(Matcher... matchers) {
    Matcher[] rest = indexMatchers(matchers);
    if (rest == null) {
      return List.of();
    }
    TreeSet<String> names = new TreeSet<>(Utf8Order.COMPARATOR);
    names.addAll(inner.labelNames(rest));
    if (!names.isEmpty()) {
      names.addAll(external.keySet());
    }
    return List.copyOf(names);
  }

  @Override
  public List<String> labelValues(String name, Matcher... matchers) {
    Matcher[] rest = indexMatchers(matchers);
    if (rest == null) {
      return List.of();
    }
    String value = external.get(name);
    if (value != null) {
      return inner.labelNames(rest).isEmpty() ? List.of() : List.of(value);
    }
    return inner.labelValues(name, rest);
  }

  @Override
  public void close() {
    inner.close();
  }

  private record Relabelled(Labels labels, Series series) implements Series {
    @Override
    public SampleIterator iterator(SampleIterator reuse) {
      return series.iterator(reuse);
    }
  }
}
