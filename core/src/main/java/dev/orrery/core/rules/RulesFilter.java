package dev.orrery.core.rules;

import dev.orrery.core.labels.Labels;
import dev.orrery.core.labels.Matcher;
import java.util.ArrayList;
import java.util.List;

/**
 * The filters of Prometheus' {@code /api/v1/rules}: groups by name and file, rules by kind, name and labels ({@code
 * match[]}). A group that passes stays in the answer even when none of its rules do (as Thanos' Rules API requires;
 * Prometheus' HTTP API then leaves it out). Immutable.
 *
 * @param type {@code alert} or {@code record} for rules of that kind only, or {@code null} for both
 * @param ruleNames only rules with these names; empty for all
 * @param groupNames only groups with these names; empty for all
 * @param files only groups loaded from these files; empty for all
 * @param matcherSets only rules whose labels match every matcher of one of the sets (a missing label is {@code ""});
 *     empty for all
 */
public record RulesFilter(String type, List<String> ruleNames, List<String> groupNames, List<String> files,
    List<List<Matcher>> matcherSets) {
  /** Everything. */
  public static final RulesFilter ALL = new RulesFilter(null, List.of(), List.of(), List.of());

  /** A filter without label matchers. */
  public RulesFilter(String type, List<String> ruleNames, List<String> groupNames, List<String> files) {
    this(type, ruleNames, groupNames, files, List.of());
  }

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
    matcherSets = matcherSets.stream().map(List::copyOf).toList();
  }

  /** This filter without its label matchers (for a source that cannot take them; apply them to its answer). */
  public RulesFilter withoutMatchers() {
    return matcherSets.isEmpty() ? this : new RulesFilter(type, ruleNames, groupNames, files);
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
        && (ruleNames.isEmpty() || ruleNames.contains(rule.name()))
        && (matcherSets.isEmpty() || matcherSets.stream().anyMatch(set -> matchesAll(set, rule.labels())));
  }

  private static boolean matchesAll(List<Matcher> matchers, Labels labels) {
    for (Matcher m : matchers) {
      if (!m.matches(labels.get(m.name()))) {
        return false;
      }
    }
    return true;
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
