package dev.orrery.core.testing;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads metric values as a scraper sees them: from the text format. */
public final class MetricsText {
  private MetricsText() {}

  /** The registry in Prometheus' text format. */
  public static String of(PrometheusRegistry registry) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      PrometheusTextFormatWriter.create().write(out, registry.scrape());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  /**
   * The value of the sample written exactly as {@code seriesText} (name and labels, label names sorted as the text
   * format writes them), 0 when absent.
   */
  public static double value(String text, String seriesText) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(seriesText) + " (\\S+)$").matcher(text);
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }

  /** {@link #value(String, String)} of a registry. */
  public static double value(PrometheusRegistry registry, String seriesText) {
    return value(of(registry), seriesText);
  }
}
