package dev.orrery.core.rules;

import dev.orrery.core.labels.Labels;
import java.util.ArrayList;
import java.util.List;

/**
 * An answer of a {@link RuleGroupsSource}: the groups, and the warnings of sources that failed under partial
 * response. Immutable.
 *
 * @param groups the rule groups
 * @param warnings what went wrong without failing the call
 */
public record RuleGroups(List<RuleGroupStatus> groups, List<String> warnings) {
  /** No groups and no warnings. */
  public static final RuleGroups EMPTY = new RuleGroups(List.of(), List.of());

  /** Copies both lists. */
  public RuleGroups {
    groups = List.copyOf(groups);
    warnings = List.copyOf(warnings);
  }

  /**
   * These groups with {@code external} added to every rule's and every alert's labels (an external label wins over a
   * label of the same name), as a source shows its rules to other components.
   */
  public RuleGroups withExternalLabels(Labels external) {
    if (external.isEmpty()) {
      return this;
    }
    List<RuleGroupStatus> out = new ArrayList<>(groups.size());
    for (RuleGroupStatus g : groups) {
      List<RuleStatus> rules = new ArrayList<>(g.rules().size());
      for (RuleStatus r : g.rules()) {
        RuleStatus labelled = r.withLabels(r.labels().withAll(external));
        if (labelled instanceof AlertingRuleStatus a) {
          labelled = a.withAlerts(a.alerts().stream().map(x -> x.withLabels(x.labels().withAll(external))).toList());
        }
        rules.add(labelled);
      }
      out.add(g.withRules(rules));
    }
    return new RuleGroups(out, warnings);
  }


  /** The pending and firing alerts of every alerting rule, as {@code /api/v1/alerts} lists them. */
  public List<AlertStatus> activeAlerts() {
    List<AlertStatus> out = new ArrayList<>();
    for (RuleGroupStatus g : groups) {
      for (RuleStatus r : g.rules()) {
        if (r instanceof AlertingRuleStatus a) {
          for (AlertStatus alert : a.alerts()) {
            if (!alert.state().equals("inactive")) {
              out.add(alert);
            }
          }
        }
      }
    }
    return out;
  }
}
