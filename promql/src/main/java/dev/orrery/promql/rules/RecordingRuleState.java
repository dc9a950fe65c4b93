package dev.orrery.promql.rules;

import dev.orrery.core.labels.Labels;
import dev.orrery.core.labels.LabelsBuilder;
import dev.orrery.promql.engine.Sample;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A {@link RecordingRule} between evaluations. Its result series are renamed to the rule's name and given its labels
 * (an empty value removes the label), as Prometheus' {@code RecordingRule.Eval} does.
 */
final class RecordingRuleState extends RuleState {
  private final RecordingRule rule;

  RecordingRuleState(RecordingRule rule) {
    this.rule = rule;
  }

  @Override
  RecordingRule rule() {
    return rule;
  }

  /**
   * The samples to store for the query result.
   *
   * @throws RuleEvaluationException if two series get the same labels or the series exceed {@code limit}
   */
  List<Sample> apply(List<Sample> result, long ts, int limit) {
    List<Sample> out = new ArrayList<>(result.size());
    Set<Labels> seen = new HashSet<>();
    LabelsBuilder b = new LabelsBuilder();
    for (Sample s : result) {
      b.reset(s.labels()).set(Labels.METRIC_NAME, rule.name());
      rule.labels().forEach((name, value) -> {
        if (value.isEmpty()) {
          b.delete(name);
        } else {
          b.set(name, value);
        }
      });
      Labels labels = b.build();
      if (!seen.add(labels)) {
        throw new RuleEvaluationException("vector contains metrics with the same labelset after applying rule labels");
      }
      out.add(new Sample(labels, ts, s.value(), s.histogram()));
    }
    if (limit > 0 && out.size() > limit) {
      throw new RuleEvaluationException("exceeded limit of " + limit + " with " + out.size() + " series");
    }
    return out;
  }
}
