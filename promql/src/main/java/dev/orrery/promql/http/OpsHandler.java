package dev.orrery.promql.http;

import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.zip.GZIPOutputStream;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The operational endpoints of every Orrery server: {@code /metrics}, the registry's metrics in Prometheus' text
 * format (OpenMetrics when the scraper's {@code Accept} asks for it; gzip when accepted), and Prometheus' {@code
 * /-/healthy} and {@code /-/ready}. Other paths are left to the next handler, so it goes first in a {@link
 * Handler.Sequence} before an API handler, or serves alone for components without an HTTP API.
 *
 * <p>Thread-safe.
 */
public final class OpsHandler extends Handler.Abstract {
  /** Where the metrics are served. */
  public static final String METRICS_PATH = "/metrics";

  private final PrometheusRegistry registry;
  private final ExpositionFormats formats = ExpositionFormats.init();

  /** Serves {@code registry} at {@link #METRICS_PATH}, and the health routes. */
  public OpsHandler(PrometheusRegistry registry) {
    this.registry = Objects.requireNonNull(registry, "registry is null");
  }

  /**
   * The name under which {@code path} is counted in the HTTP metrics: {@code metrics}, {@code healthy} or {@code
   * ready}; {@code null} for other paths.
   */
  public static String routeName(String path) {
    return switch (path) {
      case METRICS_PATH -> "metrics";
      case "/-/healthy" -> "healthy";
      case "/-/ready" -> "ready";
      default -> null;
    };
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    String path = Request.getPathInContext(request);
    if (!path.equals(METRICS_PATH)) {
      return health(path, request, response, callback);
    }
    if (!isGetOrHead(request, response, callback)) {
      return true;
    }
    ExpositionFormatWriter writer = formats.findWriter(request.getHeaders().get(HttpHeader.ACCEPT));
    if (!writer.isAvailable()) {
      writer = formats.getPrometheusTextFormatWriter();
    }
    ByteArrayOutputStream body = new ByteArrayOutputStream(16 << 10);
    boolean gzip = PrometheusApiHandler.acceptsGzip(request);
    try (OutputStream out = gzip ? new GZIPOutputStream(body) : body) {
      writer.write(out, registry.scrape());
    } catch (IOException | RuntimeException e) {
      sendText(response, callback, 500, null, "error collecting metrics: " + e + "\n");
      return true;
    }
    response.setStatus(200);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, writer.getContentType());
    response.getHeaders().add(HttpHeader.VARY, "Accept-Encoding");
    if (gzip) {
      response.getHeaders().put(HttpHeader.CONTENT_ENCODING, "gzip");
    }
    response.write(true, ByteBuffer.wrap(body.toByteArray()), callback);
    return true;
  }

  /**
   * Answers Prometheus' {@code /-/healthy} and {@code /-/ready} in plain text, as Prometheus does; returns false for
   * other paths.
   */
  static boolean health(String path, Request request, Response response, Callback callback) {
    if (!path.equals("/-/healthy") && !path.equals("/-/ready")) {
      return false;
    }
    if (isGetOrHead(request, response, callback)) {
      sendText(response, callback, 200, null, path.equals("/-/healthy") ? "Orrery is Healthy.\n"
          : "Orrery is Ready.\n");
    }
    return true;
  }

  private static boolean isGetOrHead(Request request, Response response, Callback callback) {
    String method = request.getMethod();
    if (HttpMethod.GET.is(method) || HttpMethod.HEAD.is(method)) {
      return true;
    }
    sendText(response, callback, 405, "GET, HEAD", "Only GET or HEAD requests allowed\n");
    return false;
  }

  /** Sends {@code text} as {@code text/plain} with {@code status} (and an {@code Allow} header, if not null). */
  static void sendText(Response response, Callback callback, int status, String allow, String text) {
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
    if (allow != null) {
      response.getHeaders().put(HttpHeader.ALLOW, allow);
    }
    response.write(true, ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)), callback);
  }
}
