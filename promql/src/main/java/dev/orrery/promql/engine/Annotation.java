package dev.orrery.promql.engine;

/**
 * One info or warning annotation of a query, as Prometheus' {@code util/annotations} produces it.
 *
 * @param severity warning or info
 * @param message the text without prefix or position, e.g. {@code encountered a mix of histograms and floats for
 *     aggregation}
 * @param positionStart offset (in UTF-8 bytes) into the query string of the expression the annotation is about, or
 *     -1 when unknown
 */
public record Annotation(Severity severity, String message, int positionStart) {

  /** The kinds of annotations. */
  public enum Severity {
    /** Rendered as {@code PromQL warning: ...}. */
    WARNING("PromQL warning: "),
    /** Rendered as {@code PromQL info: ...}. */
    INFO("PromQL info: "),
    /** A warning from storage (for example a store that failed under partial response), rendered as it came. */
    STORAGE_WARNING("");

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
   * of the expression within {@code query} (both 1-based, the column counted in UTF-8 bytes as Prometheus does).
   */
  public String render(String query) {
    StringBuilder sb = new StringBuilder(severity.prefix()).append(message);
    if (positionStart >= 0 && query != null && !query.isEmpty()) {
      // Positions count UTF-8 bytes, as Prometheus' PositionRange does.
      byte[] utf8 = query.getBytes(java.nio.charset.StandardCharsets.UTF_8);
      int end = Math.min(positionStart, utf8.length);
      int line = 1;
      int lastBreak = -1;
      for (int i = 0; i < end; i++) {
        if (utf8[i] == '\n') {
          line++;
          lastBreak = i;
        }
      }
      sb.append(" (").append(line).append(':').append(end - lastBreak).append(')');
    }
    return sb.toString();
  }
}
