package dev.orrery.promql.exec;

/**
 * Go's {@code strconv.Quote} for error messages. Bytes that were not UTF-8 in the query arrive as lone surrogates
 * {@code U+DC80..U+DCFF} (the parser's convention) and print as {@code \xNN}.
 */
public final class GoQuoting {
  private GoQuoting() {}

  /** {@code s} in double quotes with Go escapes. */
  public static String quote(String s) {
    StringBuilder sb = new StringBuilder("\"");
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c >= 0xDC80 && c <= 0xDCFF) {
        sb.append(String.format("\\x%02x", c - 0xDC00));
      } else if (c == '"' || c == '\\') {
        sb.append('\\').append(c);
      } else if (c == '\n') {
        sb.append("\\n");
      } else if (c == '\t') {
        sb.append("\\t");
      } else if (c == '\r') {
        sb.append("\\r");
      } else if (c < 0x20 || c == 0x7f) {
        sb.append(String.format("\\x%02x", (int) c));
      } else {
        sb.append(c);
      }
    }
    return sb.append('"').toString();
  }
}
