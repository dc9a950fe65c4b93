package dev.orrery.promql.promqltest;

/** Go string literals as the test DSL writes label values: double-, single- or back-quoted, Go escapes. */
final class GoStrings {
  private GoStrings() {}

  /** The index after the literal that starts at {@code start}. */
  static int endOf(String s, int start) {
    char q = s.charAt(start);
    int i = start + 1;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c == '\\' && q != '`') {
        i += 2;
        continue;
      }
      if (c == q) {
        return i + 1;
      }
      i++;
    }
    throw new IllegalArgumentException("unterminated string in \"" + s + "\"");
  }

  /** The value of the literal that starts at {@code start}. */
  static String unquoteAt(String s, int start) {
    return unquote(s.substring(start, endOf(s, start)));
  }

  /** Go's {@code strconv.Unquote}. */
  static String unquote(String lit) {
    if (lit.length() < 2) {
      throw new IllegalArgumentException("invalid syntax");
    }
    char q = lit.charAt(0);
    if ((q != '"' && q != '\'' && q != '`') || lit.charAt(lit.length() - 1) != q) {
      throw new IllegalArgumentException("invalid syntax");
    }
    String body = lit.substring(1, lit.length() - 1);
    if (q == '`') {
      return body;
    }
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    for (int i = 0; i < body.length(); i++) {
      char c = body.charAt(i);
      if (c != '\\') {
        byte[] b = String.valueOf(c).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        if (Character.isHighSurrogate(c) && i + 1 < body.length()) {
          b = body.substring(i, i + 2).getBytes(java.nio.charset.StandardCharsets.UTF_8);
          i++;
        }
        out.writeBytes(b);
        continue;
      }
      char e = body.charAt(++i);
      switch (e) {
        case 'n' -> out.write('\n');
        case 't' -> out.write('\t');
        case 'r' -> out.write('\r');
        case 'a' -> out.write(7);
        case 'b' -> out.write('\b');
        case 'f' -> out.write('\f');
        case 'v' -> out.write(11);
        case '\\' -> out.write('\\');
        case '\'' -> out.write('\'');
        case '"' -> out.write('"');
        case 'x' -> {
          out.write(Integer.parseInt(body.substring(i + 1, i + 3), 16));
          i += 2;
        }
        case 'u' -> {
          out.writeBytes(new String(Character.toChars(Integer.parseInt(body.substring(i + 1, i + 5), 16)))
              .getBytes(java.nio.charset.StandardCharsets.UTF_8));
          i += 4;
        }
        case 'U' -> {
          out.writeBytes(new String(Character.toChars(Integer.parseInt(body.substring(i + 1, i + 9), 16)))
              .getBytes(java.nio.charset.StandardCharsets.UTF_8));
          i += 8;
        }
        default -> {
          if (e >= '0' && e <= '7') {
            out.write(Integer.parseInt(body.substring(i, i + 3), 8));
            i += 2;
          } else {
            throw new IllegalArgumentException("invalid escape \\" + e);
          }
        }
      }
    }
    return out.toString(java.nio.charset.StandardCharsets.UTF_8);
  }
}
