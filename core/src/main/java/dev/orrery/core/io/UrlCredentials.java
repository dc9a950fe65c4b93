package dev.orrery.core.io;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;

/**
 * A URL whose user information ({@code http://user:password@host:9090}) stands for HTTP basic auth, as Thanos and
 * Prometheus take it in URL flags: {@link #url()} without the credentials (to connect to, log and show) and the
 * {@code Authorization} header to send, or {@code null} when the URL has none. Immutable.
 *
 * @param url the URL without user information
 * @param authorization {@code Basic <base64 of user:password>}, or {@code null}
 */
public record UrlCredentials(URI url, String authorization) {
  /** Checks the URL. */
  public UrlCredentials {
    Objects.requireNonNull(url, "url is null");
  }

  /** Splits {@code url} into the URL without user information and its basic auth header (percent-decoded). */
  public static UrlCredentials of(URI url) {
    String userInfo = url.getUserInfo();
    if (userInfo == null) {
      return new UrlCredentials(url, null);
    }
    int colon = userInfo.indexOf(':');
    String header = colon >= 0 ? basic(userInfo.substring(0, colon), userInfo.substring(colon + 1))
        : basic(userInfo, "");
    try {
      return new UrlCredentials(new URI(url.getScheme(), null, url.getHost(), url.getPort(), url.getPath(),
          url.getQuery(), url.getFragment()), header);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("invalid URL " + redacted(url) + ": " + e.getMessage(), e);
    }
  }

  /** The {@code Authorization} header of HTTP basic auth for {@code user} and {@code password}. */
  public static String basic(String user, String password) {
    return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  /** {@code url} without its user information, for messages. */
  public static String redacted(URI url) {
    return url.getRawUserInfo() == null ? url.toString() : url.toString().replace(url.getRawUserInfo() + "@", "");
  }
}
