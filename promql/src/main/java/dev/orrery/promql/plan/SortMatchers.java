package dev.orrery.promql.plan;

import dev.orrery.core.labels.Labels;
import dev.orrery.core.labels.MatchType;
import dev.orrery.core.labels.Matcher;
import dev.orrery.promql.ast.Expr;
import dev.orrery.promql.ast.MatrixSelector;
import dev.orrery.promql.ast.VectorSelector;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Orders each selector's matchers so the most selective come first: the metric name, then equality, regex, and the
 * negative matchers last (promql-engine's SortMatchers). Storage intersects postings in this order.
 */
public final class SortMatchers implements Optimizer {
  private static final Comparator<Matcher> ORDER = Comparator
      .comparingInt((Matcher m) -> m.name().equals(Labels.METRIC_NAME) && m.type() == MatchType.EQUAL ? 0 : 1)
      .thenComparingInt(m -> switch (m.type()) {
        case EQUAL -> 0;
        case REGEX -> 1;
        case NOT_EQUAL -> 2;
        case NOT_REGEX -> 3;
      });

  @Override
  public Expr optimize(Expr root, PlanContext context) {
    return Rewriter.rewrite(root, e -> switch (e) {
      case VectorSelector vs -> sorted(vs);
      case MatrixSelector ms -> ms.withVectorSelector(sorted(ms.vectorSelector()), ms.positionRange());
      default -> e;
    });
  }

  private static VectorSelector sorted(VectorSelector vs) {
    List<Matcher> m = new ArrayList<>(vs.matchers());
    m.sort(ORDER);
    if (m.equals(vs.matchers())) {
      return vs;
    }
    return new VectorSelector(vs.name(), m, vs.originalOffsetMillis(), vs.offsetExpr(), vs.timestampMillis(),
        vs.startOrEnd(), vs.anchored(), vs.smoothed(), vs.bypassEmptyMatcherCheck(), vs.positionRange());
  }
}
