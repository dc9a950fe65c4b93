package dev.orrery.promql.http;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads the data files that list queries of {@code ../shared/harness/queries.txt} with a reason each (one
 * {@code query ;; reason} per line, {@code #} comments), such as {@link #PROMETHEUS_2_DIFFERENCES}. Shared through
 * this module's test jar so every test that compares against Prometheus 2.42 excuses the same, documented queries.
 */
public final class ListedQueries {
  /** Queries whose answer differs between Prometheus 2.42 and 3.x by a documented change, next to this class. */
  public static final String PROMETHEUS_2_DIFFERENCES = "prometheus-2-differences.txt";

  private ListedQueries() {}

  /** The documented 2.x to 3.x differences: query (as in queries.txt) to reason, in file order. */
  public static Map<String, String> prometheus2Differences() throws IOException {
    return load(ListedQueries.class, PROMETHEUS_2_DIFFERENCES);
  }

  /** The resource {@code name} next to {@code anchor}: query to reason, in file order. */
  public static Map<String, String> load(Class<?> anchor, String name) throws IOException {
    Map<String, String> out = new LinkedHashMap<>();
    try (InputStream in = anchor.getResourceAsStream(name)) {
      if (in == null) {
        throw new IOException(name + " is missing from the test resources of " + anchor.getPackageName());
      }
      BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        String s = line.strip();
        if (s.isEmpty() || s.startsWith("#")) {
          continue;
        }
        int sep = s.indexOf(" ;; ");
        if (sep < 0) {
          throw new IOException(name + ": entry without ' ;; reason': " + s);
        }
        if (out.put(s.substring(0, sep).strip(), s.substring(sep + 4).strip()) != null) {
          throw new IOException(name + ": query listed twice: " + s.substring(0, sep).strip());
        }
      }
    }
    return out;
  }
}
