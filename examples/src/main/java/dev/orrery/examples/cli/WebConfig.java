package dev.orrery.examples.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.orrery.promql.http.ApiServer;
import dev.orrery.promql.http.BasicAuthHandler;
import dev.orrery.promql.http.ResponseHeadersHandler;
import dev.orrery.storeapi.tls.GrpcTls;
import dev.orrery.storeapi.tls.TlsConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLContext;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.util.thread.ThreadPool;

/**
 * The HTTP server settings of {@code --http.config}, a Prometheus web configuration file as Thanos and Prometheus take
 * it: {@code tls_server_config} ({@code cert_file}, {@code key_file}, {@code client_auth_type}, {@code
 * client_ca_file}, {@code min_version}, {@code max_version}, {@code cipher_suites}, {@code curve_preferences},
 * {@code prefer_server_cipher_suites}; paths relative to the file) turns on HTTPS, certificates re-read when they
 * change, {@code http_server_config.headers} sets security headers on every response, and {@code basic_auth_users}
 * (user: bcrypt hash) requires HTTP basic auth on every endpoint. Keys Orrery does not apply are
 * refused rather than ignored, so that a security setting is never silently dropped. Immutable.
 */
final class WebConfig {
  /** Plain HTTP without authentication. */
  static final WebConfig NONE =
      new WebConfig(null, ApiServer.ClientAuth.NONE, ApiServer.TlsOptions.DEFAULTS, Map.of(), Map.of());

  private static final Set<String> TOP_KEYS = Set.of("tls_server_config", "http_server_config", "basic_auth_users");
  private static final Set<String> HTTP_KEYS = Set.of("http2", "headers");
  /**
   * The response headers {@code http_server_config.headers} may set, and the values each may take (any when empty), as
   * in Prometheus.
   */
  private static final Map<String, List<String>> HEADERS = Map.of(
      "Strict-Transport-Security", List.of(),
      "X-Content-Type-Options", List.of("nosniff"),
      "X-Frame-Options", List.of("deny", "sameorigin"),
      "X-XSS-Protection", List.of(),
      "Content-Security-Policy", List.of());
  /** Go's names of {@code curve_preferences} and the JSSE named group of each. */
  private static final Map<String, String> CURVES = Map.of("CurveP256", "secp256r1", "CurveP384", "secp384r1",
      "CurveP521", "secp521r1", "X25519", "x25519");
  private static final Set<String> TLS_KEYS = Set.of("cert_file", "key_file", "client_auth_type", "client_ca_file",
      "min_version", "max_version", "cipher_suites", "curve_preferences", "prefer_server_cipher_suites");
  /** Go's TLS version names, oldest first, and the JSSE protocol of each. */
  private static final List<String> GO_VERSIONS = List.of("TLS10", "TLS11", "TLS12", "TLS13");
  private static final List<String> JSSE_PROTOCOLS = List.of("TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3");
  /** A bcrypt hash checked for unknown users too, so that a response's timing does not tell which users exist. */
  private static final String DUMMY_HASH = "$2y$10$QOauhQNbBCuQDKes6eFzPeMqBSjb7Mr5DUmpZ/VcEd00UAV/LDeSi";

  private final TlsConfig tls;
  private final ApiServer.ClientAuth clientAuth;
  private final ApiServer.TlsOptions tlsOptions;
  private final Map<String, String> headers;
  private final Map<String, String> users;
  /** The SHA-256 of each user's last accepted password: bcrypt is slow by design, and clients send it every time. */
  private final Map<String, byte[]> accepted = new ConcurrentHashMap<>();

  private WebConfig(TlsConfig tls, ApiServer.ClientAuth clientAuth, ApiServer.TlsOptions tlsOptions,
      Map<String, String> headers, Map<String, String> users) {
    this.tls = tls;
    this.clientAuth = clientAuth;
    this.tlsOptions = tlsOptions;
    this.headers = Map.copyOf(headers);
    this.users = Map.copyOf(users);
  }

  /**
   * Reads a web configuration file.
   *
   * @throws IllegalArgumentException naming the file and the setting when it is not valid
   */
  static WebConfig read(Path file) {
    JsonNode root;
    try {
      root = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
    } catch (IOException e) {
      throw new IllegalArgumentException("--http.config " + file + ": " + e.getMessage(), e);
    }
    if (root == null || root.isMissingNode() || root.isNull()) {
      return NONE;
    }
    String where = file(file) + ": ";
    YamlKeys.check(root, TOP_KEYS, file(file), "");
    TlsConfig tls = null;
    ApiServer.ClientAuth clientAuth = ApiServer.ClientAuth.NONE;
    ApiServer.TlsOptions tlsOptions = ApiServer.TlsOptions.DEFAULTS;
    JsonNode t = root.path("tls_server_config");
    if (!t.isMissingNode() && !t.isNull()) {
      YamlKeys.check(t, TLS_KEYS, file(file), "tls_server_config");
      Path dir = file.toAbsolutePath().getParent();
      Path cert = YamlKeys.path(t, "cert_file", dir);
      Path key = YamlKeys.path(t, "key_file", dir);
      Path ca = YamlKeys.path(t, "client_ca_file", dir);
      if (cert == null || key == null) {
        throw new IllegalArgumentException(where + "tls_server_config needs cert_file and key_file");
      }
      String auth = t.path("client_auth_type").asText("NoClientCert");
      clientAuth = switch (auth) {
        case "", "NoClientCert" -> ApiServer.ClientAuth.NONE;
        case "VerifyClientCertIfGiven" -> ApiServer.ClientAuth.OPTIONAL;
        case "RequireAndVerifyClientCert" -> ApiServer.ClientAuth.REQUIRED;
        case "RequestClientCert", "RequireAnyClientCert" -> throw new IllegalArgumentException(where
            + "tls_server_config.client_auth_type " + auth + " accepts certificates it does not verify; use "
            + "VerifyClientCertIfGiven or RequireAndVerifyClientCert");
        default -> throw new IllegalArgumentException(where + "tls_server_config.client_auth_type: unknown " + auth);
      };
      if ((clientAuth == ApiServer.ClientAuth.NONE) != (ca == null)) {
        throw new IllegalArgumentException(where + "tls_server_config: client_ca_file and a client_auth_type that "
            + "verifies client certificates go together");
      }
      tls = new TlsConfig(cert, key, ca, null);
      tlsOptions = tlsOptions(t, where);
    }
    Map<String, String> users = new TreeMap<>();
    for (Map.Entry<String, JsonNode> e : YamlKeys.mapping(root.path("basic_auth_users"), where + "basic_auth_users",
        "users to bcrypt hashes")) {
      String hash = e.getValue().asText();
      try {
        OpenBSDBCrypt.checkPassword(hash, new char[] {'x'});
      } catch (RuntimeException ex) {
        throw new IllegalArgumentException(where + "basic_auth_users." + e.getKey() + ": not a bcrypt hash", ex);
      }
      users.put(e.getKey(), hash);
    }
    return new WebConfig(tls, clientAuth, tlsOptions, headers(root.path("http_server_config"), file), users);
  }

  /**
   * The response headers of {@code http_server_config}. Its {@code http2} may only be false: the server speaks
   * HTTP/1.1.
   */
  private static Map<String, String> headers(JsonNode http, Path file) {
    if (http.isMissingNode() || http.isNull()) {
      return Map.of();
    }
    String where = file(file) + ": http_server_config";
    YamlKeys.check(http, HTTP_KEYS, file(file), "http_server_config");
    if (http.path("http2").asBoolean(false)) {
      throw new IllegalArgumentException(where + ".http2: HTTP/2 is not served; set it to false");
    }
    Map<String, String> out = new TreeMap<>();
    for (Map.Entry<String, JsonNode> e : YamlKeys.mapping(http.path("headers"), where + ".headers",
        "header names to values")) {
      List<String> allowed = HEADERS.get(e.getKey());
      String value = e.getValue().asText();
      if (allowed == null) {
        throw new IllegalArgumentException(where + ".headers: HTTP header " + e.getKey() + " can not be configured");
      }
      if (!allowed.isEmpty() && !allowed.contains(value)) {
        throw new IllegalArgumentException(where + ".headers." + e.getKey() + ": expected one of " + allowed
            + ", got " + value);
      }
      out.put(e.getKey(), value);
    }
    return out;
  }

  /**
   * The versions and cipher suites of {@code tls_server_config}, with Prometheus' defaults: TLS 1.2 and up, the JVM's
   * cipher suites, the server's order preferred. As in Go, {@code cipher_suites} restricts TLS 1.2 and older only:
   * TLS 1.3's suites stay enabled.
   */
  private static ApiServer.TlsOptions tlsOptions(JsonNode t, String where) {
    int min = version(t, "min_version", "TLS12", where);
    int max = version(t, "max_version", "TLS13", where);
    if (min > max) {
      throw new IllegalArgumentException(where + "tls_server_config: min_version " + GO_VERSIONS.get(min)
          + " is above max_version " + GO_VERSIONS.get(max));
    }
    List<String> suites = new ArrayList<>();
    List<JsonNode> asked = YamlKeys.list(t.path("cipher_suites"), where + "tls_server_config.cipher_suites");
    if (!asked.isEmpty()) {
      Set<String> supported = Set.of(jvmTls().getSupportedSSLParameters().getCipherSuites());
      for (JsonNode suite : asked) {
        String name = suite.asText();
        if (isTls13Suite(name) || !supported.contains(name)) {
          throw new IllegalArgumentException(where + "tls_server_config.cipher_suites: " + name
              + " is not a TLS 1.2 cipher suite this JVM offers");
        }
        suites.add(name);
      }
      for (String name : jvmTls().getDefaultSSLParameters().getCipherSuites()) {
        if (isTls13Suite(name)) {
          suites.add(name);
        }
      }
    }
    List<String> groups = new ArrayList<>();
    for (JsonNode curve : YamlKeys.list(t.path("curve_preferences"), where + "tls_server_config.curve_preferences")) {
      String group = CURVES.get(curve.asText());
      if (group == null) {
        throw new IllegalArgumentException(where + "tls_server_config.curve_preferences: unknown curve "
            + curve.asText() + " (CurveP256, CurveP384, CurveP521 or X25519)");
      }
      groups.add(group);
    }
    boolean serverOrder = t.path("prefer_server_cipher_suites").asBoolean(true);
    return new ApiServer.TlsOptions(JSSE_PROTOCOLS.subList(min, max + 1), suites, groups, serverOrder);
  }

  /** Whether a cipher suite is one of TLS 1.3's, which Go does not let a configuration restrict. */
  private static boolean isTls13Suite(String name) {
    return name.startsWith("TLS_AES_") || name.startsWith("TLS_CHACHA20_");
  }

  /** The index in {@link #GO_VERSIONS} of a version setting. */
  private static int version(JsonNode t, String key, String fallback, String where) {
    String name = t.path(key).asText(fallback);
    int i = GO_VERSIONS.indexOf(name.isEmpty() ? fallback : name);
    if (i < 0) {
      throw new IllegalArgumentException(where + "tls_server_config." + key + ": unknown TLS version " + name
          + " (TLS10, TLS11, TLS12 or TLS13)");
    }
    return i;
  }

  private static SSLContext jvmTls() {
    try {
      return SSLContext.getDefault();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JVM has no default TLS context", e);
    }
  }

  private static String file(Path file) {
    return "--http.config " + file;
  }

  /**
   * Starts an HTTP server for {@code handler} on {@code address} with these settings.
   *
   * @param pool the server's threads, or {@code null} for Jetty's default pool
   */
  ApiServer start(String address, Handler handler, ThreadPool pool) throws Exception {
    Handler protectedHandler = users.isEmpty() ? handler : new BasicAuthHandler(handler, this::check);
    ApiServer.Builder b = ApiServer.builder().address(address)
        .handler(headers.isEmpty() ? protectedHandler : new ResponseHeadersHandler(protectedHandler, headers));
    if (pool != null) {
      b.threadPool(pool);
    }
    if (tls != null) {
      b.tls(GrpcTls.serverSslContext(tls), clientAuth, tlsOptions);
    }
    return b.start();
  }

  /** Whether {@code user} and {@code password} match one of {@code basic_auth_users}. */
  boolean check(String user, String password) {
    byte[] digest = sha256(user + "\0" + password);
    byte[] known = accepted.get(user);
    if (known != null && MessageDigest.isEqual(known, digest)) {
      return true;
    }
    String hash = users.get(user);
    boolean ok = OpenBSDBCrypt.checkPassword(hash == null ? DUMMY_HASH : hash, password.toCharArray())
        && hash != null;
    if (ok) {
      accepted.put(user, digest);
    }
    return ok;
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from the JDK", e);
    }
  }
}
