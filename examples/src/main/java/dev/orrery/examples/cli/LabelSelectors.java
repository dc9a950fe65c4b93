package dev.orrery.examples.cli;

import dev.orrery.core.labels.Labels;
import dev.orrery.core.labels.Matcher;
import dev.orrery.promql.parser.PromqlParseException;
import dev.orrery.promql.parser.PromqlParser;
import java.util.ArrayList;
import java.util.List;

/**
 * Flags that select blocks by their external labels, written as the inside of a PromQL selector: {@code
 * cluster="eu1"}, {@code cluster=~"eu.*",environment!="dev"}; quoting and escapes are PromQL's.
 */
final class LabelSelectors {
  private static final String SELECTOR_NAME = "selector";

  private LabelSelectors() {}

  /**
   * The matchers of every value of {@code flag}.
   *
   * @throws IllegalArgumentException naming the flag and the value that does not parse
   */
  static List<Matcher> parse(String flag, List<String> values) {
    List<Matcher> matchers = new ArrayList<>();
    for (String value : values) {
      // Parsed as the labels of a series selector; the metric name lets a selector of matchers that match the empty
      // string (cluster!="eu1") pass the parser's "one non-empty matcher" rule, and is dropped again.
      try {
        for (Matcher matcher : PromqlParser.parseMetricSelector(SELECTOR_NAME + "{" + value + "}")) {
          if (!matcher.name().equals(Labels.METRIC_NAME)) {
            matchers.add(matcher);
          }
        }
      } catch (PromqlParseException e) {
        throw new IllegalArgumentException(flag + " " + value + ": " + e.getMessage(), e);
      }
    }
    return matchers;
  }
}
