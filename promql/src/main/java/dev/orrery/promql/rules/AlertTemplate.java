package dev.orrery.promql.rules;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * An alert label or annotation template: the subset of Go's {@code text/template} that Prometheus alerting rules use,
 * expanded as Prometheus' {@code rules/alerting.go} and {@code template/template.go} expand it, so that rule files
 * written for Prometheus give the same texts.
 *
 * {@snippet :
 * AlertTemplate summary = AlertTemplate.parse("summary", "{{ $labels.instance }} is at {{ $value | humanize }}B");
 * summary.expand(Map.of("instance", "db-1"), Map.of(), 1234567); // "db-1 is at 1.235MB"
 * }
 *
 * <p>Supported: {@code $labels.NAME}, {@code $externalLabels.NAME}, {@code $value}, {@code $} and the same through
 * the dot ({@code .Labels.NAME}, {@code .ExternalLabels.NAME}, {@code .Value}), a missing label reading as ""
 * (Prometheus sets {@code missingkey=zero}); string (Go escapes or backquoted), number, character, {@code true} and
 * {@code false} literals; pipelines and parentheses; {@code if}, {@code else if}, {@code else}, {@code end};
 * comments and trim markers ({@code {{- x}}} and {@code {{x -}}}); and the functions {@code humanize},
 * {@code humanize1024}, {@code humanizeDuration}, {@code humanizePercentage}, {@code humanizeTimestamp},
 * {@code toUpper}, {@code toLower}, {@code title}, {@code match}, {@code reReplaceAll} (RE2 syntax, Go's {@code $1}
 * expansion), {@code printf}, {@code len}, {@code index}, {@code eq}, {@code ne}, {@code lt}, {@code le},
 * {@code gt}, {@code ge}, {@code and}, {@code or} and {@code not}. Values print as Go prints them: {@code $value} of
 * 1000000 as {@code 1e+06}, a label map as {@code map[a:b c:d]}.
 *
 * <p>Go's typing comes along: a number literal without a point is an {@code int}, so {@code gt $value 80} fails
 * ("incompatible types for comparison") as it does in Prometheus, and {@code gt $value 80.0} is the way to write it.
 *
 * <p>Immutable and thread-safe: parse once, expand for every alert.
 */
public final class AlertTemplate {
  private final String name;
  private final String text;
  /** Null when the text has no action and expands to itself. */
  private final @Nullable List<TemplateNode> nodes;

  private AlertTemplate(String name, String text, @Nullable List<TemplateNode> nodes) {
    this.name = name;
    this.text = text;
    this.nodes = nodes;
  }

  /**
   * Parses {@code text}. {@code name} names the template in error messages (Prometheus uses the rule's name).
   *
   * @throws IllegalArgumentException when the text is not a valid alert template, with Go's wording and the line:
   *     {@code template: summary:1: function "query" not defined}. Besides Go's syntax errors, {@code range},
   *     {@code with}, {@code define}, {@code template}, {@code block}, variable declarations, functions other than
   *     those listed above, unknown fields and calls with a wrong number of arguments are errors here.
   */
  public static AlertTemplate parse(String name, String text) {
    requireNonNull(name, "name is null");
    requireNonNull(text, "text is null");
    if (!text.contains("{{")) {
      return new AlertTemplate(name, text, null);
    }
    return new AlertTemplate(name, text, List.copyOf(TemplateParser.parse(name, text)));
  }

  /**
   * Expands the template for one alert. Never fails for the template's sake: an execution error (say
   * {@code humanize "one"}) gives Prometheus' text, {@code <error expanding template: error executing template
   * summary: template: summary:1:3: executing "summary" at <humanize "one">: error calling humanize:
   * strconv.ParseFloat: parsing "one": invalid syntax>}.
   *
   * @param labels the alert's labels ({@code $labels})
   * @param externalLabels the external labels ({@code $externalLabels})
   * @param value the alert's value ({@code $value})
   */
  public String expand(Map<String, String> labels, Map<String, String> externalLabels, double value) {
    requireNonNull(labels, "labels is null");
    requireNonNull(externalLabels, "externalLabels is null");
    if (nodes == null) {
      return text;
    }
    TemplateData data = new TemplateData(labels, externalLabels, value);
    try {
      return new TemplateExecution(name, text, data).run(nodes);
    } catch (TemplateExecution.ExecutionException e) {
      return "<error expanding template: error executing template " + name + ": " + e.getMessage() + ">";
    } catch (RuntimeException e) {
      // Prometheus recovers from a panic while expanding the same way: an alert text is better than no alert.
      return "<error expanding template: panic expanding template " + name + ": " + e + ">";
    }
  }

  /** The name given to {@link #parse}. */
  public String name() {
    return name;
  }

  /** The template text. */
  public String text() {
    return text;
  }

  @Override
  public String toString() {
    return "AlertTemplate[" + name + ": " + text + "]";
  }
}
