package dev.orrery.promql.http;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;
import java.util.function.BiPredicate;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Wraps a handler so that every request must carry HTTP basic auth credentials that {@code credentials} accepts, as
 * Prometheus' web configuration ({@code basic_auth_users}) protects all its endpoints; others get {@code 401} with a
 * {@code WWW-Authenticate} challenge. Thread-safe when {@code credentials} is.
 */
public final class BasicAuthHandler extends Handler.Wrapper {
  private static final byte[] UNAUTHORIZED = "Unauthorized\n".getBytes(StandardCharsets.UTF_8);

  private final BiPredicate<String, String> credentials;

  /**
   * @param handler what authorised requests reach
   * @param credentials whether a user and password may pass (for example a check against bcrypt hashes)
   */
  public BasicAuthHandler(Handler handler, BiPredicate<String, String> credentials) {
    super(Objects.requireNonNull(handler, "handler is null"));
    this.credentials = Objects.requireNonNull(credentials, "credentials is null");
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    if (authorised(request.getHeaders().get(HttpHeader.AUTHORIZATION))) {
      return super.handle(request, response, callback);
    }
    response.setStatus(401);
    response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Basic");
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
    response.write(true, ByteBuffer.wrap(UNAUTHORIZED), callback);
    return true;
  }

  private boolean authorised(String header) {
    if (header == null || header.length() < 6 || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
      return false;
    }
    String decoded;
    try {
      decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return false;
    }
    int colon = decoded.indexOf(':');
    return colon >= 0 && credentials.test(decoded.substring(0, colon), decoded.substring(colon + 1));
  }
}
