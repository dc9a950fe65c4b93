package dev.orrery.promql.ast;

import java.util.List;
import java.util.Objects;

/**
 * How the series of two instant vectors are paired in a {@link BinaryExpr}: {@code on}/{@code ignoring}, {@code
 * group_left}/{@code group_right}, and the experimental {@code fill}, {@code fill_left}, {@code fill_right} modifiers
 * that stand in a value for a missing partner.
 *
 * @param card the cardinality; {@link Cardinality#MANY_TO_MANY} for {@code and}, {@code or}, {@code unless}
 * @param matchingLabels the labels of {@code on (...)} or {@code ignoring (...)}, in query order
 * @param on true for {@code on}, false for {@code ignoring} or none
 * @param include the extra labels of {@code group_left (...)}/{@code group_right (...)} copied from the "one" side
 * @param fillLeft the value used when a series of the right side has no partner on the left ({@code fill} or {@code
 *     fill_left}); {@code null} without such a modifier
 * @param fillRight the value used when a series of the left side has no partner on the right ({@code fill} or {@code
 *     fill_right}); {@code null} without such a modifier
 */
public record VectorMatching(
    Cardinality card,
    List<String> matchingLabels,
    boolean on,
    List<String> include,
    Double fillLeft,
    Double fillRight) {
  /** Checks for null (except the fill values) and copies the lists. */
  public VectorMatching {
    Objects.requireNonNull(card, "card is null");
    matchingLabels = List.copyOf(Objects.requireNonNull(matchingLabels, "matchingLabels is null"));
    include = List.copyOf(Objects.requireNonNull(include, "include is null"));
  }

  /** Matching without fill modifiers. */
  public VectorMatching(Cardinality card, List<String> matchingLabels, boolean on, List<String> include) {
    this(card, matchingLabels, on, include, null, null);
  }

  /** True when a {@code fill}, {@code fill_left} or {@code fill_right} modifier is present. */
  public boolean hasFill() {
    return fillLeft != null || fillRight != null;
  }
}
