package dev.orrery.promql.promqltest;

/** Prometheus' {@code model.ParseDuration} for the test DSL: {@code 1h30m}, {@code 10s53ms}, {@code 0}. */
final class TestDuration {
  private static final String[] UNITS = {"y", "w", "d", "h", "m", "s", "ms"};
  private static final long[] MILLIS = {
    365L * 24 * 3600_000, 7L * 24 * 3600_000, 24L * 3600_000, 3600_000, 60_000, 1000, 1
  };

  private TestDuration() {}

  /** Milliseconds of {@code s}; throws {@link IllegalArgumentException} on anything else. */
  static long parseMillis(String s) {
    if (s.equals("0")) {
      return 0;
    }
    if (s.isEmpty()) {
      throw new IllegalArgumentException("empty duration string");
    }
    long total = 0;
    int pos = 0;
    int lastUnit = -1;
    while (pos < s.length()) {
      int start = pos;
      while (pos < s.length() && Character.isDigit(s.charAt(pos))) {
        pos++;
      }
      if (start == pos) {
        throw new IllegalArgumentException("not a valid duration string: \"" + s + "\"");
      }
      long n = Long.parseLong(s.substring(start, pos));
      int unitStart = pos;
      while (pos < s.length() && Character.isLetter(s.charAt(pos))) {
        pos++;
      }
      String unit = s.substring(unitStart, pos);
      int u = -1;
      for (int i = 0; i < UNITS.length; i++) {
        if (UNITS[i].equals(unit)) {
          u = i;
        }
      }
      if (u < 0 || u <= lastUnit) {
        throw new IllegalArgumentException("not a valid duration string: \"" + s + "\"");
      }
      lastUnit = u;
      total += n * MILLIS[u];
    }
    return total;
  }
}
