package dev.orrery.core.index;

import dev.orrery.core.labels.MatchType;
import dev.orrery.core.labels.Matcher;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Prometheus' {@code PostingsForMatchers} ({@code tsdb/querier.go}) over one {@link IndexReader}: which series match
 * every matcher, where an absent label reads as {@code ""}.
 *
 * <ul>
 *   <li>A matcher that cannot match {@code ""} requires its label ("must be set"). For such labels, a positive
 *       matcher contributes the merged postings of its matching values to the intersection; {@code l!=""} and
 *       friends contribute all values that match; a negative matcher that matches {@code ""} (e.g. {@code l!="a"}
 *       next to {@code l=~".+"}) subtracts the postings of its inverse.
 *   <li>A matcher that matches {@code ""} on a label nobody requires subtracts the series whose value it rejects
 *       (including {@code l=""}: every series that has {@code l}).
 *   <li>When nothing is intersected, the base is the all-postings list; {@code =~".*"} constrains nothing.
 * </ul>
 *
 * Fast paths: {@code =} and literal alternations ({@link Matcher#setMatches()}) look the values up directly instead
 * of scanning the name's values, as do the inverses of {@code !=} and {@code !~} over literals.
 */
final class MatcherPostings {
  private final IndexReader ix;
  private final PostingsOffsetTable table;

  MatcherPostings(IndexReader ix) {
    this.ix = ix;
    this.table = ix.table();
  }

  Postings select(Matcher[] ms) {
    if (ms.length == 0) {
      return Postings.empty();
    }
    Set<String> mustBeSet = new HashSet<>();
    for (Matcher m : ms) {
      Objects.requireNonNull(m, "matcher is null");
      if (!m.matches("")) {
        mustBeSet.add(m.name());
      }
    }
    List<Postings> its = new ArrayList<>();
    List<Postings> notIts = new ArrayList<>();
    for (Matcher m : ms) {
      if (m.matchesEverything()) {
        continue;
      }
      if (mustBeSet.contains(m.name())) {
        boolean matchesEmpty = m.matches("");
        boolean isNot = m.type().isNegative();
        if (isNot && matchesEmpty) {
          // l!="foo" where l must be set anyway: subtract l="foo".
          notIts.add(matching(inverse(m)));
        } else {
          // l="a", l=~"a.*", and l!="" / l!~"" (whose matching values are all values but those it rejects).
          Postings it = matching(m);
          if (Postings.isEmpty(it)) {
            return it;
          }
          its.add(it);
        }
      } else {
        // m matches "": it selects series without the label too, so subtract the values it rejects
        // (prometheus/prometheus#3575).
        Postings it = rejected(m);
        if (!Postings.isEmpty(it)) {
          notIts.add(it);
        }
      }
    }
    if (its.isEmpty()) {
      // Only subtracting matchers: subtract from everything.
      its.add(ix.allPostings());
    }
    Postings it = Postings.intersect(its);
    if (!notIts.isEmpty()) {
      it = Postings.without(it, Postings.merge(notIts));
    }
    return it;
  }

  /** Postings of the values of {@code m.name()} that {@code m} accepts. */
  private Postings matching(Matcher m) {
    if (m.name().isEmpty()) {
      // No series has a label with an empty name; ("", "") is the all-postings key, not a label.
      return Postings.empty();
    }
    String[] set = m.setMatches();
    if (set != null) {
      return ix.postings(m.name(), set);
    }
    if (m.isPresenceMatcher()) {
      return allValues(m.name());
    }
    List<Postings> lists = new ArrayList<>();
    table.forEachValue(m.name(), (v, off) -> {
      if (m.matches(v)) {
        lists.add(ix.postingsAt(off));
      }
    });
    return Postings.merge(lists);
  }

  /** Postings of the values of {@code m.name()} that {@code m} rejects. */
  private Postings rejected(Matcher m) {
    if (m.type().isNegative()) {
      // The values l!="a" or l!~"a|b" reject are exactly those of its inverse, often a direct lookup.
      return matching(inverse(m));
    }
    if (m.type() == MatchType.EQUAL && m.value().isEmpty()) {
      return allValues(m.name());
    }
    List<Postings> lists = new ArrayList<>();
    table.forEachValue(m.name(), (v, off) -> {
      if (!m.matches(v)) {
        lists.add(ix.postingsAt(off));
      }
    });
    return Postings.merge(lists);
  }

  private Postings allValues(String name) {
    List<Postings> lists = new ArrayList<>(table.valueCount(name));
    table.forEachValue(name, (v, off) -> lists.add(ix.postingsAt(off)));
    return Postings.merge(lists);
  }

  private static Matcher inverse(Matcher m) {
    MatchType t = switch (m.type()) {
      case EQUAL -> MatchType.NOT_EQUAL;
      case NOT_EQUAL -> MatchType.EQUAL;
      case REGEX -> MatchType.NOT_REGEX;
      case NOT_REGEX -> MatchType.REGEX;
    };
    return Matcher.of(t, m.name(), m.value());
  }
}
