package dev.orrery.core.rules;

import java.util.ArrayList;
import java.util.List;

/**
 * The filters of Prometheus' {@code /api/v1/rules}: groups by name and file, rules by kind and name. A group that
 * passes stays in the answer even when none of its rules do (as Thanos' Rules API requires). Immutable.
 *
 * @param type {@code alert} or {@code record} for rules of that kind only, or {@code null} for both
 * @param ruleNames only rules with these names; empty for all
 * @param groupNames only groups with these names; empty for all
 * @param files only groups loaded from these files; empty for all
 */
public record RulesFilter(String type, List<String> ruleNames, List<String> groupNames, List<String> files) {
  /** Everything. */
  public static final RulesFilter ALL = new RulesFilter(null, List.of(), List.of(), List.of());

  /**
   * Checks and copies.
   *
   * @throws IllegalArgumentException if {@code type} is neither null, {@code alert} nor {@code record}
   */
  public RulesFilter {
    if (type != null && !type.equals("alert") && !type.equals("record")) {
      throw new IllegalArgumentException("invalid rule type '" + type + "', must be one of 'alert' or 'record'");
    }
    ruleNames = List.copyOf(ruleNames);
    groupNames = List.copyOf(groupNames);
    files = List.copyOf(files);
  }

  /** Whether {@code group} passes the group filters. */
  public boolean matches(RuleGroupStatus group) {
    return (groupNames.isEmpty() || groupNames.contains(group.name()))
        && (files.isEmpty() || files.contains(group.file()));
  }

  /** Whether {@code rule} passes the rule filters. */
  public boolean matches(RuleStatus rule) {
    boolean alerting = rule instanceof AlertingRuleStatus;
    return (type == null || type.equals("alert") == alerting)
        && (ruleNames.isEmpty() || ruleNames.contains(rule.name()));
  }

  /** The groups that pass, each with the rules that pass. */
  public List<RuleGroupStatus> apply(List<RuleGroupStatus> groups) {
    List<RuleGroupStatus> out = new ArrayList<>(groups.size());
    for (RuleGroupStatus g : groups) {
      if (matches(g)) {
        out.add(g.withRules(g.rules().stream().filter(this::matches).toList()));
      }
    }
    return out;
  }
}
