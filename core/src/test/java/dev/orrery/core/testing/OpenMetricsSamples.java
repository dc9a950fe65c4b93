package dev.orrery.core.testing;

import dev.orrery.core.labels.Labels;
import dev.orrery.core.labels.LabelsBuilder;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The samples of an OpenMetrics text file, per series, parsed the way Prometheus' parser does (timestamps as
 * {@code (long) (seconds * 1000)}). Test-only: handles exactly what the harness generator writes.
 */
public final class OpenMetricsSamples {
  /** One series' samples in file order. */
  public static final class SampleList {
    public long[] t = new long[64];
    public double[] v = new double[64];
    public int size;

    void add(long ts, double val) {
      if (size == t.length) {
        t = Arrays.copyOf(t, size * 2);
        v = Arrays.copyOf(v, size * 2);
      }
      t[size] = ts;
      v[size] = val;
      size++;
    }
  }

  private OpenMetricsSamples() {}

  /** Parses {@code file}. */
  public static Map<Labels, SampleList> parse(Path file) throws IOException {
    Map<Labels, SampleList> out = new HashMap<>();
    Map<String, Labels> seriesByText = new HashMap<>();
    LabelsBuilder b = new LabelsBuilder();
    try (BufferedReader r = Files.newBufferedReader(file)) {
      String line;
      while ((line = r.readLine()) != null) {
        if (line.isEmpty() || line.charAt(0) == '#') {
          continue;
        }
        int end = seriesEnd(line);
        String seriesText = line.substring(0, end);
        Labels labels = seriesByText.get(seriesText);
        if (labels == null) {
          labels = parseSeries(seriesText, b);
          seriesByText.put(seriesText, labels);
        }
        String[] rest = line.substring(end).trim().split(" ");
        double value = parseValue(rest[0]);
        long ts = (long) (Double.parseDouble(rest[1]) * 1000);
        out.computeIfAbsent(labels, k -> new SampleList()).add(ts, value);
      }
    }
    return out;
  }

  private static int seriesEnd(String line) {
    int brace = line.indexOf('{');
    int space = line.indexOf(' ');
    if (brace < 0 || brace > space) {
      return space;
    }
    boolean inQuote = false;
    for (int i = brace; i < line.length(); i++) {
      char c = line.charAt(i);
      if (inQuote && c == '\\') {
        i++;
      } else if (c == '"') {
        inQuote = !inQuote;
      } else if (c == '}' && !inQuote) {
        return i + 1;
      }
    }
    throw new IllegalArgumentException("unterminated series: " + line);
  }

  private static Labels parseSeries(String text, LabelsBuilder b) {
    b.reset();
    int brace = text.indexOf('{');
    if (brace < 0) {
      return b.set(Labels.METRIC_NAME, text).build();
    }
    b.set(Labels.METRIC_NAME, text.substring(0, brace));
    int i = brace + 1;
    while (i < text.length() && text.charAt(i) != '}') {
      int eq = text.indexOf('=', i);
      String name = text.substring(i, eq);
      StringBuilder value = new StringBuilder();
      int j = eq + 2;
      for (; text.charAt(j) != '"'; j++) {
        char c = text.charAt(j);
        if (c == '\\') {
          char n = text.charAt(++j);
          value.append(n == 'n' ? '\n' : n);
        } else {
          value.append(c);
        }
      }
      b.set(name, value.toString());
      i = j + 1;
      if (i < text.length() && text.charAt(i) == ',') {
        i++;
      }
    }
    return b.build();
  }

  private static double parseValue(String s) {
    return switch (s) {
      case "NaN" -> Double.longBitsToDouble(0x7ff8000000000001L);
      case "+Inf", "Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      default -> Double.parseDouble(s);
    };
  }
}
