package dev.orrery.core.storage;

import static java.util.Objects.requireNonNull;

import dev.orrery.core.labels.Labels;
import dev.orrery.core.labels.MatchType;
import dev.orrery.core.labels.Matcher;
import java.util.ArrayList;
import java.util.List;

/**
 * A request for exemplars, as Prometheus' {@code /api/v1/query_exemplars} takes it: a PromQL query whose selectors
 * pick the series, and a time range.
 *
 * @param query the query as written
 * @param selectors the matchers of each of the query's selectors, when the caller parsed it; empty when not (a
 *     source then passes the query on as it is)
 * @param startMillis the start of the range, inclusive
 * @param endMillis the end of the range, inclusive
 */
public record ExemplarQuery(String query, List<List<Matcher>> selectors, long startMillis, long endMillis) {
  /** Matches every series: what a selector on external labels only becomes. */
  private static final Matcher ANY_SERIES = Matcher.of(MatchType.REGEX, Labels.METRIC_NAME, ".+");

  /** Checks and copies. */
  public ExemplarQuery {
    requireNonNull(query, "query is null");
    selectors = selectors.stream().map(List::copyOf).toList();
  }

  /**
   * The query to send to a store whose series carry one of {@code labelSets} as external labels: the selectors that
   * may match one of the sets, without their matchers on labels every set has (the store answers those itself); a
   * selector left with no matcher selects every series. {@code null} when no selector may match; {@link #query()}
   * itself when the selectors are not known.
   */
  public String queryFor(List<Labels> labelSets) {
    if (selectors.isEmpty()) {
      return query;
    }
    List<List<Matcher>> kept = new ArrayList<>();
    for (List<Matcher> selector : selectors) {
      if (!labelSets.isEmpty() && labelSets.stream().noneMatch(set -> compatible(set, selector))) {
        continue;
      }
      List<Matcher> local = selector.stream()
          .filter(m -> labelSets.isEmpty() || !labelSets.stream().allMatch(set -> set.has(m.name()))).toList();
      kept.add(local.isEmpty() ? List.of(ANY_SERIES) : local);
    }
    return kept.isEmpty() ? null : selectorQuery(kept);
  }

  private static boolean compatible(Labels set, List<Matcher> selector) {
    for (Matcher m : selector) {
      if (set.has(m.name()) && !m.matches(set.get(m.name()))) {
        return false;
      }
    }
    return true;
  }

  /**
   * A query made of {@code selectors} alone, joined with {@code or}: what a store is sent once matchers it answers
   * itself (its external labels) are removed.
   */
  public static String selectorQuery(List<List<Matcher>> selectors) {
    StringBuilder q = new StringBuilder();
    for (List<Matcher> set : selectors) {
      if (!q.isEmpty()) {
        q.append(" or ");
      }
      q.append('{');
      for (int i = 0; i < set.size(); i++) {
        if (i > 0) {
          q.append(',');
        }
        q.append(set.get(i));
      }
      q.append('}');
    }
    return q.toString();
  }
}
