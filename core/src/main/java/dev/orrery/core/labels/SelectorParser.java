package dev.orrery.core.labels;

import java.util.List;

/**
 * Parses a series selector, such as {@code up{job="api"}} or {@code {severity="page"}}, into its matchers, as
 * Prometheus' {@code match[]} parameters are written. The PromQL parser implements it; layers below PromQL take it as
 * a parameter, so that they can accept selectors without depending on PromQL.
 */
@FunctionalInterface
public interface SelectorParser {
  /**
   * The selector's matchers, the metric name's {@code __name__} matcher included.
   *
   * @throws RuntimeException with a message naming the problem if the text is not a selector
   */
  List<Matcher> parse(String selector);
}
