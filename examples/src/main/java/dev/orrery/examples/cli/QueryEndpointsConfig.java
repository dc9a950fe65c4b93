package dev.orrery.examples.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.orrery.core.io.UrlCredentials;
import dev.orrery.promql.rules.PrometheusApiRuleQuery;
import dev.orrery.storeapi.tls.GrpcTls;
import dev.orrery.storeapi.tls.TlsConfig;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.net.ssl.SSLContext;

/**
 * The ruler's {@code --query.config-file}: the Thanos ruler's query endpoint configuration, a list of entries with
 * {@code static_configs} (host:port), {@code scheme}, {@code path_prefix} and {@code http_config} ({@code basic_auth}
 * with {@code password} or {@code password_file}, {@code bearer_token} or {@code bearer_token_file}, {@code
 * tls_config} with {@code ca_file}, {@code cert_file} and {@code key_file}). Settings Orrery does not apply ({@code
 * file_sd_configs}, {@code proxy_url}, {@code server_name}, {@code insecure_skip_verify: true}) are refused naming
 * the key, never ignored.
 */
final class QueryEndpointsConfig {
  private static final Set<String> ENTRY_KEYS = Set.of("http_config", "static_configs", "scheme", "path_prefix",
      "file_sd_configs");
  private static final Set<String> HTTP_KEYS = Set.of("basic_auth", "bearer_token", "bearer_token_file",
      "tls_config", "proxy_url");
  private static final Set<String> AUTH_KEYS = Set.of("username", "password", "password_file");
  private static final Set<String> TLS_KEYS = Set.of("ca_file", "cert_file", "key_file", "server_name",
      "insecure_skip_verify");

  private QueryEndpointsConfig() {}

  /**
   * The endpoints of a configuration, in order.
   *
   * @param yaml the configuration
   * @param where how to name it in errors ({@code --query.config-file <path>})
   * @param dir the directory relative file names are resolved against
   * @throws IllegalArgumentException naming the setting that is not valid
   * @throws IOException if a referenced file cannot be read
   */
  static List<PrometheusApiRuleQuery.Endpoint> parse(String yaml, String where, Path dir) throws IOException {
    JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(yaml);
    if (root == null || !root.isArray()) {
      throw new IllegalArgumentException(where + ": expected a list of query endpoint configurations");
    }
    List<PrometheusApiRuleQuery.Endpoint> out = new ArrayList<>();
    for (int i = 0; i < root.size(); i++) {
      JsonNode entry = root.get(i);
      String at = where + ": [" + i + "]";
      YamlKeys.check(entry, ENTRY_KEYS, where, "[" + i + "]");
      if (entry.path("file_sd_configs").size() > 0) {
        throw new IllegalArgumentException(at + ".file_sd_configs: not supported; list the endpoints in "
            + "static_configs");
      }
      String scheme = entry.path("scheme").asText("http");
      if (!scheme.equals("http") && !scheme.equals("https")) {
        throw new IllegalArgumentException(at + ".scheme: must be http or https, got " + scheme);
      }
      String prefix = entry.path("path_prefix").asText("");
      JsonNode http = entry.path("http_config");
      String authorization = null;
      SSLContext tls = null;
      if (!http.isMissingNode() && !http.isNull()) {
        YamlKeys.check(http, HTTP_KEYS, where, "[" + i + "].http_config");
        if (!http.path("proxy_url").asText("").isEmpty()) {
          throw new IllegalArgumentException(at + ".http_config.proxy_url: not supported");
        }
        authorization = authorization(http, where, "[" + i + "].http_config", dir);
        tls = tls(http.path("tls_config"), where, "[" + i + "].http_config.tls_config", dir);
      }
      for (JsonNode address : entry.path("static_configs")) {
        URI url = URI.create(scheme + "://" + address.asText() + (prefix.isEmpty() || prefix.startsWith("/") ? ""
            : "/") + prefix);
        out.add(new PrometheusApiRuleQuery.Endpoint(url, authorization, tls));
      }
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException(where + ": no endpoint in static_configs");
    }
    return out;
  }

  private static String authorization(JsonNode http, String where, String path, Path dir) throws IOException {
    String at = where + ": " + path;
    JsonNode basic = http.path("basic_auth");
    String bearer = http.path("bearer_token").asText("");
    String bearerFile = http.path("bearer_token_file").asText("");
    if (!bearerFile.isEmpty()) {
      bearer = Files.readString(dir.resolve(bearerFile), StandardCharsets.UTF_8).strip();
    }
    boolean hasBasic = !basic.isMissingNode() && !basic.isNull();
    if (hasBasic && !bearer.isEmpty()) {
      throw new IllegalArgumentException(at + ": basic_auth and bearer_token are exclusive");
    }
    if (!bearer.isEmpty()) {
      return "Bearer " + bearer;
    }
    if (!hasBasic) {
      return null;
    }
    YamlKeys.check(basic, AUTH_KEYS, where, path + ".basic_auth");
    String password = basic.path("password").asText("");
    String passwordFile = basic.path("password_file").asText("");
    if (!passwordFile.isEmpty()) {
      password = Files.readString(dir.resolve(passwordFile), StandardCharsets.UTF_8).strip();
    }
    return UrlCredentials.basic(basic.path("username").asText(""), password);
  }

  private static SSLContext tls(JsonNode t, String where, String path, Path dir) throws IOException {
    if (t.isMissingNode() || t.isNull()) {
      return null;
    }
    String at = where + ": " + path;
    YamlKeys.check(t, TLS_KEYS, where, path);
    if (t.path("insecure_skip_verify").asBoolean(false)) {
      throw new IllegalArgumentException(at + ".insecure_skip_verify: not supported; give the CA in ca_file");
    }
    if (!t.path("server_name").asText("").isEmpty()) {
      throw new IllegalArgumentException(at + ".server_name: not supported; address the endpoint by a name its "
          + "certificate holds");
    }
    Path ca = YamlKeys.path(t, "ca_file", dir);
    Path cert = YamlKeys.path(t, "cert_file", dir);
    Path key = YamlKeys.path(t, "key_file", dir);
    if ((cert == null) != (key == null)) {
      throw new IllegalArgumentException(at + ": cert_file and key_file go together");
    }
    return GrpcTls.clientSslContext(new TlsConfig(cert, key, ca, null));
  }

}
