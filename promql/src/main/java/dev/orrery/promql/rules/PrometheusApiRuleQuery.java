package dev.orrery.promql.rules;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orrery.core.io.GoFloat;
import dev.orrery.core.io.UrlCredentials;
import dev.orrery.core.labels.Labels;
import dev.orrery.core.labels.LabelsBuilder;
import dev.orrery.promql.engine.Sample;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import org.jspecify.annotations.Nullable;

/**
 * Evaluates rules through the Prometheus HTTP API ({@code POST /api/v1/query}) of a Prometheus or a Thanos querier,
 * as Thanos' ruler does with {@code --query}, passing the group's partial response strategy as Thanos' {@code
 * partial_response} parameter. The endpoints are tried in order; the first that answers is used, so
 * one that is down only costs its connection attempt. An error answer ({@code "status": "error"}) fails the rule with
 * the endpoint's error type and message. Native histogram results are read back from their bucket bounds ({@link
 * HistogramJson}); those with custom bucket bounds cannot be, and fail the rule with an error saying so.
 *
 * <p>Thread-safe.
 */
public final class PrometheusApiRuleQuery implements RuleQuery, AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * A query endpoint: its base URL, without credentials ({@code https://querier:10902/thanos}), the {@code
   * Authorization} header to send ({@code Basic ...}, {@code Bearer ...}) or {@code null}, and the TLS context that
   * verifies it (and presents a client certificate), or {@code null} for the JDK's default.
   */
  public record Endpoint(URI url, @Nullable String authorization, @Nullable SSLContext tls) {
    /** Checks the URL. */
    public Endpoint {
      requireNonNull(url, "url is null");
    }

    /** An endpoint from a URL whose user information, if any, is its basic auth. */
    public static Endpoint of(URI url) {
      UrlCredentials credentials = UrlCredentials.of(url);
      return new Endpoint(credentials.url(), credentials.authorization(), null);
    }
  }

  private final List<Endpoint> endpoints;
  private final Duration timeout;
  /** One client per TLS context (the default's under {@code null}). */
  private final Map<SSLContext, HttpClient> clients = new IdentityHashMap<>();
  private final HttpClient defaultClient;

  /**
   * Queries {@code endpoints} (base URLs such as {@code http://querier:10902}; user information is basic auth), each
   * request limited to {@code timeout}.
   */
  public PrometheusApiRuleQuery(List<URI> endpoints, Duration timeout) {
    this(endpoints.stream().map(Endpoint::of).toArray(Endpoint[]::new), timeout);
  }

  /**
   * Queries {@code endpoints}, each with its own credentials and TLS settings, each request limited to {@code
   * timeout}.
   */
  public static PrometheusApiRuleQuery of(List<Endpoint> endpoints, Duration timeout) {
    return new PrometheusApiRuleQuery(endpoints.toArray(Endpoint[]::new), timeout);
  }

  private PrometheusApiRuleQuery(Endpoint[] endpoints, Duration timeout) {
    if (endpoints.length == 0) {
      throw new IllegalArgumentException("no query endpoint");
    }
    this.endpoints = List.of(endpoints);
    this.timeout = requireNonNull(timeout, "timeout is null");
    this.defaultClient = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    for (Endpoint e : this.endpoints) {
      if (e.tls() != null) {
        clients.computeIfAbsent(e.tls(), tls -> HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .sslContext(tls).build());
      }
    }
  }

  @Override
  public List<Sample> evaluate(RuleGroup group, Rule rule, long timestampMillis) {
    // partial_response is Thanos' parameter; Prometheus ignores it.
    String form = "query=" + URLEncoder.encode(rule.exprText(), StandardCharsets.UTF_8) + "&time="
        + timestampMillis / 1000 + "." + String.format("%03d", timestampMillis % 1000) + "&partial_response="
        + (group.partialResponse() == RuleGroup.PartialResponse.WARN);
    IOException failure = null;
    for (Endpoint target : endpoints) {
      URI endpoint = target.url();
      HttpRequest.Builder request = HttpRequest.newBuilder(queryUri(endpoint)).timeout(timeout)
          .header("Content-Type", "application/x-www-form-urlencoded")
          .POST(HttpRequest.BodyPublishers.ofString(form));
      if (target.authorization() != null) {
        request.header("Authorization", target.authorization());
      }
      HttpClient http = target.tls() == null ? defaultClient : clients.get(target.tls());
      HttpResponse<String> response;
      try {
        response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      } catch (IOException e) {
        failure = e;
        continue;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new RuleEvaluationException("interrupted while querying " + endpoint);
      }
      return samples(endpoint, response, timestampMillis);
    }
    throw new RuleEvaluationException("no query endpoint answered: " + failure);
  }

  /** {@code /api/v1/query} under the endpoint, keeping a path prefix (a querier behind {@code /thanos/}). */
  static URI queryUri(URI endpoint) {
    String base = endpoint.toString();
    while (base.endsWith("/")) {
      base = base.substring(0, base.length() - 1);
    }
    return URI.create(base + "/api/v1/query");
  }

  private static List<Sample> samples(URI endpoint, HttpResponse<String> response, long ts) {
    JsonNode body;
    try {
      body = JSON.readTree(response.body());
    } catch (IOException e) {
      throw new RuleEvaluationException(endpoint + " answered " + response.statusCode() + " without JSON: "
          + abbreviate(response.body()));
    }
    if (!"success".equals(body.path("status").asText())) {
      throw new RuleEvaluationException(endpoint + " answered " + response.statusCode() + ": "
          + body.path("errorType").asText("error") + ": " + body.path("error").asText(abbreviate(response.body())));
    }
    JsonNode data = body.path("data");
    String type = data.path("resultType").asText();
    return switch (type) {
      case "vector" -> vector(endpoint, data.path("result"));
      case "scalar" -> List.of(new Sample(Labels.empty(), ts, value(endpoint, data.path("result").path(1)), null));
      case "matrix" -> throw new RuleEvaluationException("rule result is a range vector");
      case "string" -> throw new RuleEvaluationException("rule result is a string");
      default -> throw new RuleEvaluationException(endpoint + " answered an unknown result type '" + type + "'");
    };
  }

  private static List<Sample> vector(URI endpoint, JsonNode result) {
    List<Sample> out = new ArrayList<>(result.size());
    LabelsBuilder labels = new LabelsBuilder();
    for (JsonNode s : result) {
      labels.reset();
      for (Iterator<Map.Entry<String, JsonNode>> it = s.path("metric").fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> l = it.next();
        labels.set(l.getKey(), l.getValue().asText());
      }
      if (s.has("histogram")) {
        JsonNode point = s.path("histogram");
        try {
          out.add(new Sample(labels.build(), millis(point.path(0)), 0, HistogramJson.parse(point.path(1))));
        } catch (IllegalArgumentException e) {
          throw new RuleEvaluationException(endpoint + " answered a native histogram that cannot be read back ("
              + labels.build() + "): " + e.getMessage() + " in " + abbreviate(point.path(1).toString())
              + "; record it with --data or --endpoint instead");
        }
        continue;
      }
      JsonNode point = s.path("value");
      out.add(new Sample(labels.build(), millis(point.path(0)), value(endpoint, point.path(1)), null));
    }
    return out;
  }

  /** A timestamp as the API writes it: seconds with up to three decimals. */
  private static long millis(JsonNode seconds) {
    return seconds.decimalValue().movePointRight(3).longValue();
  }

  /** A value as the API writes it: a string such as {@code "1.5"}, {@code "NaN"} or {@code "+Inf"}. */
  private static double value(URI endpoint, JsonNode node) {
    try {
      return GoFloat.parse(node.asText());
    } catch (NumberFormatException e) {
      throw new RuleEvaluationException(endpoint + " answered a value that is not a number: '" + node.asText()
          + "'");
    }
  }

  private static String abbreviate(String s) {
    return s.length() > 200 ? s.substring(0, 200) + "..." : s;
  }

  @Override
  public void close() {
    defaultClient.close();
    clients.values().forEach(HttpClient::close);
  }
}
