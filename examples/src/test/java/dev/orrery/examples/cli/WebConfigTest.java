package dev.orrery.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orrery.core.testing.Environment;
import dev.orrery.core.testing.PrometheusProcess;
import dev.orrery.examples.demo.DemoDataSet;
import dev.orrery.promql.http.ApiServer;
import dev.orrery.promql.rules.PrometheusApiRuleQuery;
import dev.orrery.promql.rules.RuleFiles;
import dev.orrery.promql.rules.RuleGroup;
import dev.orrery.storeapi.tls.TestCertificates;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --http.config}: HTTPS with reloaded certificates, client certificates, and basic auth against bcrypt hashes,
 * on the query API and on a component's {@code /metrics}; the accepted files pass {@code promtool check web-config},
 * and a real Prometheus scrapes a protected {@code /metrics}.
 */
class WebConfigTest {
  private static final long START = 1_704_067_200_000L;

  @TempDir
  Path dir;

  @Test
  void theQueryApiServesHttpsAndRequiresBasicAuth() throws Exception {
    TestCertificates.Ca ca = TestCertificates.ca(dir, "ca");
    TestCertificates.Issued server = TestCertificates.issue(ca, dir, "server");
    Path config = writeConfig("web.yml", """
        tls_server_config:
          cert_file: server.pem
          key_file: server-key.pem
        basic_auth_users:
          grafana: %s
        """.formatted(bcrypt("s3cret")));
    assertPromtoolAccepts(config);
    new DemoDataSet(START, 3).writeTo(dir.resolve("data"));
    var settings = new QueryApiLauncher.Settings("127.0.0.1:0", Duration.ofMinutes(5), Duration.ofMinutes(2),
        50_000_000, WebConfig.read(config));
    try (QueryApiLauncher launcher = QueryApiLauncher.start(dir.resolve("data"), settings)) {
      assertThat(launcher.url()).startsWith("https://127.0.0.1:");
      HttpClient client = HttpClient.newBuilder().sslContext(trusting(ca)).build();
      String query = launcher.url() + "api/v1/query?time=1704074400&query="
          + URLEncoder.encode("count(up)", StandardCharsets.UTF_8);
      HttpResponse<String> anonymous = client.send(HttpRequest.newBuilder(URI.create(query)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(anonymous.statusCode()).isEqualTo(401);
      assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValue("Basic");
      assertThat(send(client, query, "grafana", "wrong").statusCode()).isEqualTo(401);
      assertThat(send(client, query, "nobody", "s3cret").statusCode()).isEqualTo(401);
      HttpResponse<String> ok = send(client, query, "grafana", "s3cret");
      assertThat(ok.statusCode()).isEqualTo(200);
      assertThat(ok.body()).contains("\"value\":[1704074400,\"");
      // Every endpoint is protected, the health checks and /metrics too, as in Prometheus.
      assertThat(client.send(HttpRequest.newBuilder(URI.create(launcher.url() + "-/healthy")).build(),
          HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
      assertThat(send(client, launcher.url() + "metrics", "grafana", "s3cret").body()).contains("http_requests_total");
      // Plain HTTP to the TLS port gets no answer from the API.
      URI plain = URI.create(query.replace("https://", "http://"));
      assertThatThrownBy(() -> HttpClient.newHttpClient().send(HttpRequest.newBuilder(plain).build(),
          HttpResponse.BodyHandlers.ofString()).statusCode()).isInstanceOf(IOException.class);
    }
  }

  @Test
  void aRulerQueriesAProtectedQuerierWithTheCredentialsOfItsUrl() throws Exception {
    Path config = writeConfig("auth.yml", "basic_auth_users:\n  ruler: " + bcrypt("r") + "\n");
    new DemoDataSet(START, 3).writeTo(dir.resolve("data"));
    var settings = new QueryApiLauncher.Settings("127.0.0.1:0", Duration.ofMinutes(5), Duration.ofMinutes(2),
        50_000_000, WebConfig.read(config));
    try (QueryApiLauncher querier = QueryApiLauncher.start(dir.resolve("data"), settings)) {
      URI url = URI.create(querier.url());
      RuleGroup group = RuleFiles.parse("groups:\n- name: g\n  rules:\n  - record: up:count\n    expr: count(up)\n",
          "r.yml", Duration.ofMinutes(1)).getFirst();
      try (PrometheusApiRuleQuery authenticated = new PrometheusApiRuleQuery(List.of(URI.create(
          "http://ruler:r@127.0.0.1:" + url.getPort() + "/")), Duration.ofSeconds(10))) {
        assertThat(authenticated.evaluate(group, group.rules().getFirst(), 1_704_074_400_000L))
            .singleElement().satisfies(sample -> assertThat(sample.value()).isPositive());
      }
      try (PrometheusApiRuleQuery anonymous = new PrometheusApiRuleQuery(List.of(url), Duration.ofSeconds(10))) {
        assertThatThrownBy(() -> anonymous.evaluate(group, group.rules().getFirst(), 1_704_074_400_000L))
            .hasMessageContaining("401");
      }
    }
  }

  @Test
  void aRulerQueriesAnHttpsQuerierThroughTheThanosQueryConfig() throws Exception {
    TestCertificates.Ca ca = TestCertificates.ca(dir, "ca");
    TestCertificates.issue(ca, dir, "server");
    Path web = writeConfig("web.yml", """
        tls_server_config:
          cert_file: server.pem
          key_file: server-key.pem
        basic_auth_users:
          ruler: %s
        """.formatted(bcrypt("r")));
    new DemoDataSet(START, 3).writeTo(dir.resolve("data"));
    var settings = new QueryApiLauncher.Settings("127.0.0.1:0", Duration.ofMinutes(5), Duration.ofMinutes(2),
        50_000_000, WebConfig.read(web));
    RuleGroup group = RuleFiles.parse("groups:\n- name: g\n  rules:\n  - record: up:count\n    expr: count(up)\n",
        "r.yml", Duration.ofMinutes(1)).getFirst();
    try (QueryApiLauncher querier = QueryApiLauncher.start(dir.resolve("data"), settings)) {
      Files.writeString(dir.resolve("password"), "r\n");
      String config = """
          - static_configs: ["127.0.0.1:%d"]
            scheme: https
            http_config:
              basic_auth: {username: ruler, password_file: password}
              tls_config: {ca_file: %s}
          """.formatted(URI.create(querier.url()).getPort(), ca.certFile().getFileName());
      try (PrometheusApiRuleQuery query = PrometheusApiRuleQuery.of(QueryEndpointsConfig.parse(config, "q.yml", dir),
          Duration.ofSeconds(10))) {
        assertThat(query.evaluate(group, group.rules().getFirst(), 1_704_074_400_000L)).singleElement()
            .satisfies(sample -> assertThat(sample.value()).isPositive());
      }
      // Without the CA the querier's certificate is not trusted.
      try (PrometheusApiRuleQuery untrusting = PrometheusApiRuleQuery.of(QueryEndpointsConfig.parse(
          config.replace("tls_config: {ca_file: " + ca.certFile().getFileName() + "}", "tls_config: {}"), "q.yml",
          dir), Duration.ofSeconds(10))) {
        assertThatThrownBy(() -> untrusting.evaluate(group, group.rules().getFirst(), 1_704_074_400_000L))
            .hasMessageContaining("no query endpoint answered");
      }
    }
    for (String refused : new String[] {
        "- static_configs: [a:1]\n  http_config: {tls_config: {insecure_skip_verify: true}}\n",
        "- file_sd_configs: [{files: [x.yml]}]\n",
        "- static_configs: [a:1]\n  http_config: {proxy_url: 'http://proxy:3128'}\n",
        "- static_configs: [a:1]\n  http_config: {follow_redirects: true}\n",
        "- static_configs: [a:1]\n  scheme: ftp\n"}) {
      assertThatThrownBy(() -> QueryEndpointsConfig.parse(refused, "q.yml", dir))
          .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("q.yml: [0]");
    }
  }

  @Test
  void aComponentsMetricsRequireAVerifiedClientCertificateAndPrometheusScrapesThem() throws Exception {
    TestCertificates.Ca ca = TestCertificates.ca(dir, "ca");
    TestCertificates.Ca other = TestCertificates.ca(dir.resolve(Files.createDirectories(dir.resolve("other"))),
        "other");
    TestCertificates.issue(ca, dir, "server");
    TestCertificates.Issued scraper = TestCertificates.issue(ca, dir, "scraper");
    TestCertificates.Issued stranger = TestCertificates.issue(other, dir.resolve("other"), "stranger");
    Path config = writeConfig("web.yml", """
        tls_server_config:
          cert_file: server.pem
          key_file: server-key.pem
          client_auth_type: RequireAndVerifyClientCert
          client_ca_file: %s
        basic_auth_users:
          prometheus: %s
        """.formatted(ca.certFile().getFileName(), bcrypt("scrape")));
    assertPromtoolAccepts(config);
    SelfMetrics metrics = new SelfMetrics();
    try (ApiServer ops = metrics.startOpsServer("127.0.0.1:0", WebConfig.read(config))) {
      String url = ops.uri() + "metrics";
      assertThatThrownBy(() -> send(HttpClient.newBuilder().sslContext(trusting(ca)).build(), url, "prometheus",
          "scrape")).isInstanceOf(IOException.class);
      assertThatThrownBy(() -> send(HttpClient.newBuilder().sslContext(presenting(stranger, ca)).build(), url,
          "prometheus", "scrape")).isInstanceOf(IOException.class);
      assertThat(send(HttpClient.newBuilder().sslContext(presenting(scraper, ca)).build(), url, "prometheus",
          "scrape").body()).contains("orrery_build_info");

      // A real Prometheus 2.42 scrapes it with its own TLS client and basic auth settings.
      try (PrometheusProcess prometheus = PrometheusProcess.startWithScrapeConfigs(dir, dir.resolve("prom"), """
            - job_name: orrery
              scheme: https
              basic_auth: {username: prometheus, password: scrape}
              tls_config: {ca_file: %s, cert_file: %s, key_file: %s}
              static_configs:
                - targets: ['127.0.0.1:%d']
          """.formatted(ca.certFile(), scraper.certFile(), scraper.keyFile(), ops.port()))) {
        long deadline = System.nanoTime() + 30_000_000_000L;
        JsonNode result = null;
        while (System.nanoTime() < deadline) {
          result = prometheus.api("/api/v1/query?query=" + URLEncoder.encode("orrery_build_info{job=\"orrery\"}",
              StandardCharsets.UTF_8)).path("result");
          if (result.size() > 0) {
            break;
          }
          Thread.sleep(250);
        }
        assertThat(result).as("orrery_build_info scraped over mutual TLS and basic auth; targets: %s",
            prometheus.api("/api/v1/targets").path("activeTargets")).hasSize(1);
      }
    }
  }

  @Test
  void tlsVersionsAndCipherSuitesAreEnforcedInTheHandshake() throws Exception {
    TestCertificates.Ca ca = TestCertificates.ca(dir, "ca");
    TestCertificates.issue(ca, dir, "server");
    Path tls13 = writeConfig("tls13.yml", """
        tls_server_config:
          cert_file: server.pem
          key_file: server-key.pem
          min_version: TLS13
        """);
    Path oneSuite = writeConfig("suite.yml", """
        tls_server_config:
          cert_file: server.pem
          key_file: server-key.pem
          max_version: TLS12
          cipher_suites:
            - TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384
          prefer_server_cipher_suites: true
        """);
    assertPromtoolAccepts(tls13);
    assertPromtoolAccepts(oneSuite);
    Handler ok = new Handler.Abstract() {
      @Override
      public boolean handle(Request request, Response response, Callback callback) {
        response.setStatus(200);
        callback.succeeded();
        return true;
      }
    };
    try (ApiServer server = WebConfig.read(tls13).start("127.0.0.1:0", ok, null)) {
      assertThat(handshake(server, ca, "TLSv1.3", null)).isEqualTo(200);
      assertThatThrownBy(() -> handshake(server, ca, "TLSv1.2", null)).isInstanceOf(IOException.class);
    }
    Path oneCurve = writeConfig("curve.yml", """
        tls_server_config:
          cert_file: server.pem
          key_file: server-key.pem
          curve_preferences: [CurveP384]
        http_server_config:
          http2: false
          headers:
            Strict-Transport-Security: max-age=31536000; includeSubDomains
            X-Frame-Options: deny
            X-Content-Type-Options: nosniff
        basic_auth_users:
          grafana: %s
        """.formatted(bcrypt("s3cret")));
    assertPromtoolAccepts(oneCurve);
    try (ApiServer server = WebConfig.read(oneCurve).start("127.0.0.1:0", ok, null)) {
      assertThat(handshakes(server, ca, "secp384r1")).isTrue();
      assertThat(handshakes(server, ca, "x25519")).as("curve_preferences").isFalse();
      HttpClient https = HttpClient.newBuilder().sslContext(trusting(ca)).build();
      HttpResponse<Void> refused = https.send(HttpRequest.newBuilder(server.uri()).build(),
          HttpResponse.BodyHandlers.discarding());
      assertThat(refused.statusCode()).isEqualTo(401);
      HttpResponse<String> served = send(https, server.uri().toString(), "grafana", "s3cret");
      assertThat(served.statusCode()).isEqualTo(200);
      for (HttpResponse<?> r : List.of(refused, served)) {
        assertThat(r.headers().firstValue("Strict-Transport-Security"))
            .hasValue("max-age=31536000; includeSubDomains");
        assertThat(r.headers().firstValue("X-Frame-Options")).hasValue("deny");
        assertThat(r.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
      }
    }
    try (ApiServer server = WebConfig.read(oneSuite).start("127.0.0.1:0", ok, null)) {
      assertThat(handshake(server, ca, "TLSv1.2", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384")).isEqualTo(200);
      assertThatThrownBy(() -> handshake(server, ca, "TLSv1.2", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"))
          .isInstanceOf(IOException.class);
      assertThatThrownBy(() -> handshake(server, ca, "TLSv1.3", null)).as("max_version TLS12")
          .isInstanceOf(IOException.class);
    }
  }

  /** The status of a GET over a connection limited to {@code protocol} and, if given, {@code suite}. */
  private static int handshake(ApiServer server, TestCertificates.Ca ca, String protocol, String suite)
      throws Exception {
    SSLParameters params = new SSLParameters();
    params.setProtocols(new String[] {protocol});
    if (suite != null) {
      params.setCipherSuites(new String[] {suite});
    }
    HttpClient client = HttpClient.newBuilder().sslContext(trusting(ca)).sslParameters(params).build();
    return client.send(HttpRequest.newBuilder(server.uri()).build(), HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  /**
   * Whether a TLS handshake offering only the key exchange group {@code group} succeeds (a raw socket: the HTTP
   * client does not pass named groups on).
   */
  private static boolean handshakes(ApiServer server, TestCertificates.Ca ca, String group) throws Exception {
    try (SSLSocket socket = (SSLSocket) trusting(ca).getSocketFactory().createSocket(server.host(), server.port())) {
      SSLParameters params = socket.getSSLParameters();
      params.setNamedGroups(new String[] {group});
      socket.setSSLParameters(params);
      socket.startHandshake();
      return true;
    } catch (SSLException e) {
      return false;
    }
  }

  @Test
  void settingsThatWouldNotBeHonouredAreRefused() throws Exception {
    assertThatThrownBy(() -> WebConfig.read(writeConfig("a.yml", "http_server_config:\n  http2: true\n")))
        .hasMessageContaining("a.yml: http_server_config.http2: HTTP/2 is not served; set it to false");
    assertThatThrownBy(() -> WebConfig.read(writeConfig("l.yml",
        "http_server_config:\n  headers:\n    X-Powered-By: x\n")))
        .hasMessageContaining("http_server_config.headers: HTTP header X-Powered-By can not be configured");
    assertThatThrownBy(() -> WebConfig.read(writeConfig("m.yml",
        "http_server_config:\n  headers:\n    X-Frame-Options: allow\n")))
        .hasMessageContaining("headers.X-Frame-Options: expected one of [deny, sameorigin], got allow");
    assertThatThrownBy(() -> WebConfig.read(writeConfig("n.yml", "http_server_config:\n  compression: true\n")))
        .hasMessageContaining("http_server_config.compression: not supported");
    assertThatThrownBy(() -> WebConfig.read(writeConfig("b.yml", """
        tls_server_config:
          cert_file: s.pem
          key_file: k.pem
          curve_preferences: [CurveP224]
        """))).hasMessageContaining("tls_server_config.curve_preferences: unknown curve CurveP224");
    assertThatThrownBy(() -> WebConfig.read(writeConfig("i.yml", """
        tls_server_config:
          cert_file: s.pem
          key_file: k.pem
          min_version: TLS13
          max_version: TLS12
        """))).hasMessageContaining("min_version TLS13 is above max_version TLS12");
    assertThatThrownBy(() -> WebConfig.read(writeConfig("j.yml", """
        tls_server_config:
          cert_file: s.pem
          key_file: k.pem
          min_version: SSL30
        """))).hasMessageContaining("tls_server_config.min_version: unknown TLS version SSL30");
    assertThatThrownBy(() -> WebConfig.read(writeConfig("k.yml", """
        tls_server_config:
          cert_file: s.pem
          key_file: k.pem
          cipher_suites: [TLS_RSA_WITH_RC4_128_SHA]
        """))).hasMessageContaining("cipher_suites: TLS_RSA_WITH_RC4_128_SHA is not a TLS 1.2 cipher suite this JVM");
    assertThatThrownBy(() -> WebConfig.read(writeConfig("c.yml", """
        tls_server_config:
          cert_file: s.pem
          key_file: k.pem
          client_auth_type: RequireAnyClientCert
          client_ca_file: ca.pem
        """))).hasMessageContaining("does not verify");
    assertThatThrownBy(() -> WebConfig.read(writeConfig("d.yml", """
        tls_server_config:
          cert_file: s.pem
          key_file: k.pem
          client_ca_file: ca.pem
        """))).hasMessageContaining("client_ca_file and a client_auth_type");
    assertThatThrownBy(() -> WebConfig.read(writeConfig("e.yml", "basic_auth_users:\n  alice: plaintext\n")))
        .hasMessageContaining("basic_auth_users.alice: not a bcrypt hash");
    assertThatThrownBy(() -> WebConfig.read(writeConfig("h.yml", "tls_server_config: yes\n")))
        .hasMessageEndingWith("h.yml: tls_server_config: expected a mapping");
    assertThatThrownBy(() -> WebConfig.read(writeConfig("g.yml", "basic_auth_users:\n  - alice\n")))
        .hasMessageContaining("basic_auth_users: expected a mapping");
        WebConfig users = WebConfig.read(writeConfig("f.yml", "basic_auth_users:\n  alice: " + bcrypt("pw") + "\n"));
    assertThat(users.check("alice", "pw")).isTrue();
    assertThat(users.check("alice", "pw")).as("the cached answer").isTrue();
    assertThat(users.check("alice", "PW")).isFalse();
    assertThat(users.check("bob", "pw")).isFalse();
  }

  private Path writeConfig(String name, String yaml) throws IOException {
    return Files.writeString(dir.resolve(name), yaml);
  }

  private static String bcrypt(String password) {
    byte[] salt = new byte[16];
    new SecureRandom().nextBytes(salt);
    return OpenBSDBCrypt.generate("2y", password.toCharArray(), salt, 4);
  }

  private static void assertPromtoolAccepts(Path config) throws Exception {
    Process p = new ProcessBuilder(Environment.promtool().toString(), "check", "web-config", config.toString())
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as("promtool check web-config: %s", out).isZero();
  }

  private static HttpResponse<String> send(HttpClient client, String url, String user, String password)
      throws IOException, InterruptedException {
    String basic = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    return client.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Basic " + basic).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static SSLContext trusting(TestCertificates.Ca ca) throws Exception {
    return context(null, ca);
  }

  private static SSLContext presenting(TestCertificates.Issued client, TestCertificates.Ca ca) throws Exception {
    return context(client, ca);
  }

  private static SSLContext context(TestCertificates.Issued client, TestCertificates.Ca ca) throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("ca", ca.cert());
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    javax.net.ssl.KeyManager[] keyManagers = null;
    if (client != null) {
      KeyStore keys = KeyStore.getInstance("PKCS12");
      keys.load(null, null);
      X509Certificate cert;
      try (var in = Files.newInputStream(client.certFile())) {
        cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
      }
      keys.setKeyEntry("client", pemKey(client.keyFile()), new char[0], new X509Certificate[] {cert});
      javax.net.ssl.KeyManagerFactory kmf = javax.net.ssl.KeyManagerFactory.getInstance(
          javax.net.ssl.KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(keys, new char[0]);
      keyManagers = kmf.getKeyManagers();
    }
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(keyManagers, tmf.getTrustManagers(), null);
    return context;
  }

  private static java.security.PrivateKey pemKey(Path file) throws Exception {
    String pem = Files.readString(file).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    return java.security.KeyFactory.getInstance("EC").generatePrivate(
        new java.security.spec.PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
  }
}
