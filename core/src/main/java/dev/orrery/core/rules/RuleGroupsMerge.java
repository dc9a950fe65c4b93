package dev.orrery.core.rules;

import dev.orrery.core.labels.Utf8Order;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Merges the rule groups of several sources as Thanos' querier does: groups with the same file and name become one
 * (sorted by {@code file;name}), and within a group rules that differ only in replica labels are one rule, the replica
 * labels dropped. Of such replicas the one kept is, for alerting rules, the one in the most advanced state ({@code
 * firing}, then {@code pending}), then the one evaluated last; for recording rules the one evaluated last. Rules come
 * out sorted: alerting before recording, then by name, labels, query and (alerting) {@code for:}.
 *
 * <p>Replicas are compared with the replica labels already removed, so that they meet in the sort even when another
 * rule's labels fall between theirs.
 */
public final class RuleGroupsMerge {
  private static final Comparator<RuleStatus> RULE_ORDER = Comparator
      .comparingInt((RuleStatus r) -> r instanceof AlertingRuleStatus ? 0 : 1)
      .thenComparing(RuleStatus::name, Utf8Order.COMPARATOR)
      .thenComparing(RuleStatus::labels)
      .thenComparing(RuleStatus::query, Utf8Order.COMPARATOR)
      .thenComparing(r -> r instanceof AlertingRuleStatus a ? a.duration().toNanos() : 0L);

  private RuleGroupsMerge() {}

  /** The merged groups; {@code replicaLabels} may be empty (groups are still merged, identical rules kept once). */
  public static List<RuleGroupStatus> merge(List<RuleGroupStatus> groups, Collection<String> replicaLabels) {
    Map<String, List<RuleGroupStatus>> byKey = new LinkedHashMap<>();
    for (RuleGroupStatus g : groups) {
      byKey.computeIfAbsent(g.file() + ";" + g.name(), k -> new ArrayList<>()).add(g);
    }
    List<String> keys = new ArrayList<>(byKey.keySet());
    keys.sort(Utf8Order.COMPARATOR);
    List<RuleGroupStatus> out = new ArrayList<>(keys.size());
    for (String key : keys) {
      List<RuleGroupStatus> same = byKey.get(key);
      List<RuleStatus> rules = new ArrayList<>();
      for (RuleGroupStatus g : same) {
        for (RuleStatus r : g.rules()) {
          rules.add(r.withLabels(r.labels().without(replicaLabels)));
        }
      }
      out.add(same.get(0).withRules(dedup(rules)));
    }
    return out;
  }

  private static List<RuleStatus> dedup(List<RuleStatus> rules) {
    rules.sort(RULE_ORDER);
    List<RuleStatus> out = new ArrayList<>(rules.size());
    for (RuleStatus r : rules) {
      int last = out.size() - 1;
      if (last >= 0 && RULE_ORDER.compare(out.get(last), r) == 0) {
        if (preferred(r, out.get(last))) {
          out.set(last, r);
        }
      } else {
        out.add(r);
      }
    }
    return out;
  }

  /** Whether {@code candidate} should replace {@code kept}, an equal rule of another replica. */
  private static boolean preferred(RuleStatus candidate, RuleStatus kept) {
    if (candidate instanceof AlertingRuleStatus c && kept instanceof AlertingRuleStatus k) {
      int d = Integer.compare(severity(c.state()), severity(k.state()));
      if (d != 0) {
        return d > 0;
      }
    }
    return after(candidate.lastEvaluation(), kept.lastEvaluation());
  }

  private static int severity(String state) {
    return switch (state) {
      case "firing" -> 2;
      case "pending" -> 1;
      default -> 0;
    };
  }

  private static boolean after(Instant a, Instant b) {
    return a != null && (b == null || a.isAfter(b));
  }
}
