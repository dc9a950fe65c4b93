package dev.orrery.promql.http;

import java.util.Map;
import java.util.Objects;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Wraps a handler so that every response carries fixed headers (security policies such as
 * {@code Strict-Transport-Security}), whatever answers it, refusals included, as Prometheus' web configuration
 * ({@code http_server_config.headers}) sets them. Immutable; thread-safe.
 */
public final class ResponseHeadersHandler extends Handler.Wrapper {
  private final Map<String, String> headers;

  /**
   * @param handler what answers the requests
   * @param headers header names and values to set on every response
   */
  public ResponseHeadersHandler(Handler handler, Map<String, String> headers) {
    super(Objects.requireNonNull(handler, "handler is null"));
    this.headers = Map.copyOf(headers);
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    headers.forEach(response.getHeaders()::put);
    return super.handle(request, response, callback);
  }
}
