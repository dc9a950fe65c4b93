package dev.orrery.promql.rules;

import dev.orrery.core.labels.Labels;
import dev.orrery.core.rules.AlertStatus;
import dev.orrery.core.rules.AlertingRuleStatus;
import dev.orrery.core.rules.RecordingRuleStatus;
import dev.orrery.core.rules.RuleGroupStatus;
import dev.orrery.core.rules.RuleStatus;
import java.util.ArrayList;
import java.util.List;

/** A {@link RuleManager}'s group states as {@code core}'s rules API model. */
final class RuleGroupStatuses {
  private RuleGroupStatuses() {}

  static RuleGroupStatus of(RuleManager.GroupStatus status) {
    RuleGroup g = status.group();
    List<RuleStatus> rules = new ArrayList<>(status.rules().size());
    for (RuleManager.RuleStatus r : status.rules()) {
      rules.add(of(r));
    }
    return new RuleGroupStatus(g.name(), g.file(), rules, g.interval(), g.limit(), g.queryOffset(),
        g.partialResponse().name(), status.evaluationTime(), status.lastEvaluation());
  }

  private static RuleStatus of(RuleManager.RuleStatus s) {
    return switch (s.rule()) {
      case AlertingRule rule -> new AlertingRuleStatus(s.state() == null ? AlertState.INACTIVE.apiName()
          : s.state().apiName(), rule.name(), rule.exprText(), rule.holdDuration(), rule.keepFiringFor(),
          Labels.of(rule.labels()), rule.annotations(), s.alerts().stream().map(RuleGroupStatuses::of).toList(),
          s.health().apiName(), s.lastError(), s.evaluationTime(), s.lastEvaluation());
      case RecordingRule rule -> new RecordingRuleStatus(rule.name(), rule.exprText(), Labels.of(rule.labels()),
          s.health().apiName(), s.lastError(), s.evaluationTime(), s.lastEvaluation());
    };
  }

  static AlertStatus of(Alert a) {
    return new AlertStatus(a.labels(), a.annotations(), a.state().apiName(), a.activeAt(), a.keepFiringSince(),
        GoFormat.formatFloat(a.value(), 'e', -1));
  }
}
