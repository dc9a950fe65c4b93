package dev.orrery.promql.engine;

/**
 * One info or warning annotation of a query, as Prometheus' {@code util/annotations} produces it.
 *
 * @param severity warning or info
 * @param message the text without prefix or position, e.g. {@code encountered a mix of histograms and floats for
 *     aggregation}
 * @param positionStart offset (in characters) into the query string of the expression the annotation is about, or
 *     -1 when unknown
 */
public record Annotation(Severity severity, String message, int positionStart) {

  /** The two levels of annotations. */
  public enum Severity {
    /** Rendered as {@code PromQL warning: ...}. */
    WARNING("PromQL warning: "),
    /** Rendered as {@code PromQL info: ...}. */
    INFO("PromQL info: ");

    private final String prefix;

    Severity(String prefix) {
      this.prefix = prefix;
    }

    /** The prefix of the rendered message. */
    public String prefix() {
      return prefix;
    }
  }

  /**
   * The annotation as the HTTP API renders it: prefix, message and, when the position is known, {@code (line:column)}
   * of the expression within {@code query} (both 1-based, the column counted in characters as Prometheus does).
   */
  public String render(String query) {
    StringBuilder sb = new StringBuilder(severity.prefix()).append(message);
    if (positionStart >= 0 && query != null && !query.isEmpty()) {
      int line = 1;
      int col = 1;
      int end = Math.min(positionStart, query.length());
      for (int i = 0; i < end; i++) {
        if (query.charAt(i) == '\n') {
          line++;
          col = 1;
        } else {
          col++;
        }
      }
      sb.append(" (").append(line).append(':').append(col).append(')');
    }
    return sb.toString();
  }
}
