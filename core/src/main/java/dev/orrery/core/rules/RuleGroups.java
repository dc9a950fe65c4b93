package dev.orrery.core.rules;

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
