package dev.orrery.promql.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orrery.promql.ast.BinaryExpr;
import dev.orrery.promql.ast.Call;
import dev.orrery.promql.ast.Expr;
import dev.orrery.promql.ast.StepInvariantExpr;
import dev.orrery.promql.ast.VectorSelector;
import dev.orrery.promql.parser.PromqlParser;
import java.util.List;
import org.junit.jupiter.api.Test;

class StepInvariantsTest {
  private static Expr plan(String q) {
    return LogicalPlan.create(PromqlParser.parse(q), 0, 3_600_000, 60_000, Optimizer.defaults()).root();
  }

  @Test
  void pinnedSelectorMakesTheWholeCallInvariant() {
    assertThat(plan("rate(foo[5m] @ 100)")).isInstanceOf(StepInvariantExpr.class);
  }

  @Test
  void onlyTheInvariantSideOfABinaryExpressionIsWrapped() {
    BinaryExpr b = (BinaryExpr) plan("foo + bar @ 100");
    assertThat(b.lhs()).isInstanceOf(VectorSelector.class);
    assertThat(b.rhs()).isInstanceOf(StepInvariantExpr.class);
  }

  @Test
  void timeDependentFunctionsAreNeverInvariant() {
    Call c = (Call) plan("timestamp(foo @ 100)");
    assertThat(c.args().get(0)).isInstanceOf(StepInvariantExpr.class);
  }

  @Test
  void startAndEndAreResolved() {
    StepInvariantExpr e = (StepInvariantExpr) plan("foo @ end()");
    assertThat(((VectorSelector) e.expr()).timestampMillis()).isEqualTo(3_600_000L);
  }

  @Test
  void matchersAreOrderedNameEqualityRegexNegative() {
    VectorSelector vs = (VectorSelector) plan("{job!=\"x\", a=~\"b.*\", __name__=\"foo\", c=\"d\"}");
    List<String> names = vs.matchers().stream().map(m -> m.name()).toList();
    assertThat(names).containsExactly("__name__", "c", "a", "job");
  }

  @Test
  void histogramStatsSelectorsAreDetected() {
    LogicalPlan p = LogicalPlan.create(PromqlParser.parse("histogram_count(sum(rate(h[5m])))"), 0, 0, 0,
        Optimizer.defaults());
    assertThat(p.statsOnlySelectors()).hasSize(1);
    LogicalPlan q = LogicalPlan.create(PromqlParser.parse("histogram_count(increase(h[40m:9m]))"), 0, 0, 0,
        Optimizer.defaults());
    assertThat(q.statsOnlySelectors()).isEmpty();
  }
}
