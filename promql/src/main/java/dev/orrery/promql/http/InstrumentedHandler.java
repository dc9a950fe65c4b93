package dev.orrery.promql.http;

import java.nio.ByteBuffer;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Wraps a handler and records each request it answers in {@link HttpServerMetrics}, under the route name that {@code
 * routes} gives its path (for example {@link PrometheusApiHandler#routeName}); paths without a name are passed on
 * uncounted, so a scan of random URLs cannot grow the metrics without bound. A request is recorded when its response
 * completes, before the completion is reported to Jetty; a failed one counts with status 500 unless a status was set.
 *
 * <p>Thread-safe.
 */
public final class InstrumentedHandler extends Handler.Wrapper {
  private final HttpServerMetrics metrics;
  private final Function<String, String> routes;

  /**
   * @param handler the handler whose requests are counted
   * @param metrics where they are counted
   * @param routes the route name of a path, or {@code null} for paths not to count
   */
  public InstrumentedHandler(Handler handler, HttpServerMetrics metrics, Function<String, String> routes) {
    super(Objects.requireNonNull(handler, "handler is null"));
    this.metrics = Objects.requireNonNull(metrics, "metrics is null");
    this.routes = Objects.requireNonNull(routes, "routes is null");
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    String route = routes.apply(Request.getPathInContext(request));
    if (route == null) {
      return super.handle(request, response, callback);
    }
    long start = System.nanoTime();
    String method = methodLabel(request.getMethod());
    long requestBytes = approximateRequestSize(request);
    CountingResponse counted = new CountingResponse(request, response);
    AtomicBoolean recorded = new AtomicBoolean();
    Callback recording = new Callback() {
      @Override
      public void succeeded() {
        record(200);
        callback.succeeded();
      }

      @Override
      public void failed(Throwable failure) {
        record(500);
        callback.failed(failure);
      }

      @Override
      public InvocationType getInvocationType() {
        return callback.getInvocationType();
      }

      private void record(int statusIfUnset) {
        if (recorded.compareAndSet(false, true)) {
          int status = counted.getStatus();
          metrics.observe(route, method, status == 0 ? statusIfUnset : status, (System.nanoTime() - start) / 1e9,
              requestBytes, counted.bytes);
        }
      }
    };
    try {
      return super.handle(request, counted, recording);
    } catch (Exception | Error e) {
      if (recorded.compareAndSet(false, true)) {
        metrics.observe(route, method, 500, (System.nanoTime() - start) / 1e9, requestBytes, counted.bytes);
      }
      throw e;
    }
  }

  /** The method in lower case, as Go's promhttp labels it; one outside HTTP's standard set is {@code unknown}. */
  static String methodLabel(String method) {
    return switch (method) {
      case "GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH" ->
          method.toLowerCase(Locale.ROOT);
      default -> "unknown";
    };
  }

  /**
   * The request's size as Go's {@code promhttp} approximates it: the request target, method and protocol, every header
   * name and value but {@code Host}, the host, and the declared body length.
   */
  static long approximateRequestSize(Request request) {
    long size = request.getHttpURI().getPathQuery().length() + request.getMethod().length()
        + request.getConnectionMetaData().getProtocol().length();
    for (HttpField field : request.getHeaders()) {
      if (field.getHeader() != HttpHeader.HOST) {
        size += field.getName().length() + field.getValue().length();
      }
    }
    String host = request.getHttpURI().getAuthority();
    size += host == null ? 0 : host.length();
    long contentLength = request.getLength();
    return contentLength > 0 ? size + contentLength : size;
  }

  /** Counts the body bytes written. */
  private static final class CountingResponse extends Response.Wrapper {
    private volatile long bytes;

    CountingResponse(Request request, Response wrapped) {
      super(request, wrapped);
    }

    @Override
    public void write(boolean last, ByteBuffer content, Callback callback) {
      if (content != null) {
        bytes += content.remaining();
      }
      super.write(last, content, callback);
    }
  }
}
