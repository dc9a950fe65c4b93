package dev.orrery.promql.promqltest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The cases of the shared test files that may fail, with the reason: {@code promql-known-failures.txt} on the test
 * class path, one {@code file.test:line reason} a line, {@code #} for comments. A listed case that passes fails the
 * run, so the list cannot go stale.
 */
final class KnownFailures {
  static final String RESOURCE = "/promql-known-failures.txt";

  private final Map<String, String> reasons;

  private KnownFailures(Map<String, String> reasons) {
    this.reasons = reasons;
  }

  static KnownFailures load() {
    Map<String, String> out = new LinkedHashMap<>();
    try (InputStream in = KnownFailures.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        return new KnownFailures(out);
      }
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      int lineNo = 0;
      for (String line : text.split("\n")) {
        lineNo++;
        String l = line.strip();
        if (l.isEmpty() || l.startsWith("#")) {
          continue;
        }
        String[] parts = l.split("\\s+", 2);
        if (parts.length < 2 || !parts[0].matches("[\\w.-]+\\.test:\\d+")) {
          throw new IllegalStateException(RESOURCE + " line " + lineNo + ": expected \"file.test:line reason\"");
        }
        out.put(parts[0], parts[1]);
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + RESOURCE, e);
    }
    return new KnownFailures(out);
  }

  /** The reason case {@code file:line} may fail, or {@code null}. */
  String reason(String file, int line) {
    return reasons.get(file + ":" + line);
  }

  /** Entries listed for {@code file}. */
  long countFor(String file) {
    return reasons.keySet().stream().filter(k -> k.startsWith(file + ":")).count();
  }

  Map<String, String> all() {
    return reasons;
  }
}
