package dev.orrery.promql.parser;

import dev.orrery.promql.ast.PositionRange;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A query that is not valid PromQL. {@link #getMessage()} reads like Prometheus' own {@code ParseErr}, e.g. {@code
 * 1:5: parse error: unexpected end of input}: line and column (1-based, the column counting bytes) of the start of
 * {@link #positionRange()}, then {@link #reason()}. The HTTP API returns it verbatim as {@code bad_data}.
 */
public final class PromqlParseException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient PositionRange positionRange;
  private final String reason;
  private final int line;
  private final int column;

  /**
   * Creates the exception.
   *
   * @param positionRange where in the query the problem is (byte offsets)
   * @param reason the message without position, e.g. {@code unexpected end of input}
   * @param query the query text, used to turn the offset into line and column
   */
  public PromqlParseException(PositionRange positionRange, String reason, byte[] query) {
    super(format(positionRange, reason, query));
    this.positionRange = Objects.requireNonNull(positionRange, "positionRange is null");
    this.reason = Objects.requireNonNull(reason, "reason is null");
    int[] lc = lineAndColumn(positionRange.start(), query);
    this.line = lc[0];
    this.column = lc[1];
  }

  /** Like {@link #PromqlParseException(PositionRange, String, byte[])} for a query given as a string. */
  public PromqlParseException(PositionRange positionRange, String reason, String query) {
    this(positionRange, reason, query.getBytes(StandardCharsets.UTF_8));
  }

  /** Where in the query the problem is, as byte offsets. */
  public PositionRange positionRange() {
    return positionRange;
  }

  /** The message without the position prefix. */
  public String reason() {
    return reason;
  }

  /** The 1-based line of the start position, or 0 when the position is not in the query. */
  public int line() {
    return line;
  }

  /** The 1-based byte column of the start position, or 0 when the position is not in the query. */
  public int column() {
    return column;
  }

  private static String format(PositionRange pos, String reason, byte[] query) {
    int[] lc = lineAndColumn(pos.start(), query);
    String prefix = lc[0] == 0 ? "invalid position:" : lc[0] + ":" + lc[1] + ":";
    return prefix + " parse error: " + reason;
  }

  // As Prometheus' ParseErr.Error(): lines split at '\n', the column counts bytes after the last line break.
  private static int[] lineAndColumn(int pos, byte[] query) {
    if (pos < 0 || pos > query.length) {
      return new int[] {0, 0};
    }
    int line = 1;
    int lastLineBreak = -1;
    for (int i = 0; i < pos; i++) {
      if (query[i] == '\n') {
        lastLineBreak = i;
        line++;
      }
    }
    return new int[] {line, pos - lastLineBreak};
  }
}
