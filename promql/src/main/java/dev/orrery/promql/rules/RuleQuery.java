package dev.orrery.promql.rules;

import dev.orrery.core.labels.Labels;
import dev.orrery.core.storage.Queryable;
import dev.orrery.core.storage.StoreOptions;
import dev.orrery.promql.engine.Engine;
import dev.orrery.promql.engine.Query;
import dev.orrery.promql.engine.QueryResult;
import dev.orrery.promql.engine.Sample;
import java.util.List;

/**
 * Evaluates a rule's expression at an instant, for the {@link RuleManager}: with the PromQL engine over a {@link
 * Queryable} ({@link #local}), or through the query API of a Prometheus or a Thanos querier ({@link
 * PrometheusApiRuleQuery}), as Thanos' ruler does.
 */
@FunctionalInterface
public interface RuleQuery {
  /**
   * The instant vector of {@code rule}'s expression at {@code timestampMillis}; a scalar result is one sample without
   * labels. The group's {@linkplain RuleGroup#partialResponse() partial response strategy} says whether a failing
   * store fails the query.
   *
   * @throws RuntimeException a {@code QueryException}, {@code OrreryException} or the ruler's evaluation error, which
   *     make the rule's health {@code err}
   */
  List<Sample> evaluate(RuleGroup group, Rule rule, long timestampMillis);

  /** The engine over {@code queryable}; the strategy reaches the stores through the selects' hints. */
  static RuleQuery local(Engine engine, Queryable queryable) {
    Queryable abort = new StoreOptions(null, null, false, null).applyTo(queryable);
    Queryable warn = new StoreOptions(null, null, true, null).applyTo(queryable);
    return (group, rule, ts) -> {
      Queryable stores = group.partialResponse() == RuleGroup.PartialResponse.WARN ? warn : abort;
      try (Query q = engine.instantQuery(stores, rule.expr(), ts)) {
        return switch (q.execute()) {
          case QueryResult.Vector v -> v.samples();
          case QueryResult.Scalar s -> List.of(new Sample(Labels.empty(), ts, s.value(), null));
          case QueryResult.Matrix m -> throw new RuleEvaluationException("rule result is a range vector");
          case QueryResult.StringResult s -> throw new RuleEvaluationException("rule result is a string");
        };
      }
    };
  }
}
