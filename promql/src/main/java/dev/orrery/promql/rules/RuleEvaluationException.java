package dev.orrery.promql.rules;

/** A rule's evaluation failed for a reason of its own (duplicate series, a limit); the rule's health becomes err. */
final class RuleEvaluationException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  RuleEvaluationException(String message) {
    super(message);
  }
}
