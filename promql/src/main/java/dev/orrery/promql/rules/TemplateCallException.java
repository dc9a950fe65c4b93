package dev.orrery.promql.rules;

/**
 * A template function's error, Go's {@code error} result: {@link AlertTemplate} reports it as {@code error calling
 * <function>: <message>} at the call.
 */
final class TemplateCallException extends Exception {
  private static final long serialVersionUID = 1L;

  TemplateCallException(String message) {
    super(message);
  }
}
