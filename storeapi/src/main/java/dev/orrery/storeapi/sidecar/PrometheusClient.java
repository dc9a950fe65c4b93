package dev.orrery.storeapi.sidecar;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.orrery.core.OrreryException;
import dev.orrery.core.OrreryException.ErrorCode;
import dev.orrery.core.io.GoFloat;
import dev.orrery.core.io.UrlCredentials;
import dev.orrery.core.labels.Matcher;
import dev.orrery.core.rules.RuleGroupStatus;
import dev.orrery.core.storage.Exemplar;
import dev.orrery.core.storage.ExemplarSeries;
import dev.orrery.core.storage.MetricMetadata;
import dev.orrery.core.targets.ActiveTarget;
import dev.orrery.core.targets.DroppedTarget;
import dev.orrery.core.targets.TargetDiscovery;
import dev.orrery.storeapi.proto.prompb.ChunkedReadResponse;
import dev.orrery.storeapi.proto.prompb.ReadRequest;
import dev.orrery.storeapi.proto.prompb.ReadResponse;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.TreeMap;
import java.util.zip.CRC32C;
import org.apache.commons.compress.compressors.snappy.SnappyCompressorInputStream;
import org.apache.commons.compress.compressors.snappy.SnappyCompressorOutputStream;

/**
 * The few Prometheus HTTP APIs a sidecar needs: remote read ({@code POST /api/v1/read}, FORMATS.md 10.1, request
 * body snappy block-compressed through Commons Compress), the configuration (for external labels), TSDB status (for
 * the head's minimum time), label names and values, metric metadata, rules, exemplars and targets. Thread-safe; the
 * {@link HttpClient} is the caller's.
 */
public final class PrometheusClient {
  /** Largest accepted stream frame (Prometheus' client default). */
  static final int MAX_FRAME_BYTES = 50_000_000;
  static final String STREAMED_CONTENT_TYPE = "application/x-streamed-protobuf; proto=prometheus.ChunkedReadResponse";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final YAMLMapper YAML = new YAMLMapper();

  private final URI base;
  /** Basic auth from the base URL's user information, or {@code null}. */
  private final String authorization;
  private final HttpClient http;
  private final Duration timeout;

  /**
   * @param base Prometheus' base URL, e.g. {@code http://127.0.0.1:9090}; user information ({@code
   *     http://user:password@host:9090}) is sent as HTTP basic auth, for a Prometheus with a web configuration
   * @param http the HTTP client (owned by the caller)
   * @param timeout per-request timeout
   */
  public PrometheusClient(URI base, HttpClient http, Duration timeout) {
    UrlCredentials credentials = UrlCredentials.of(requireNonNull(base, "base is null"));
    String s = credentials.url().toString();
    this.base = URI.create(s.endsWith("/") ? s.substring(0, s.length() - 1) : s);
    this.authorization = credentials.authorization();
    this.http = requireNonNull(http, "http is null");
    this.timeout = requireNonNull(timeout, "timeout is null");
  }

  /** The base URL, without credentials. */
  public URI base() {
    return base;
  }

  /**
   * The external labels of Prometheus' loaded configuration ({@code global.external_labels} of {@code
   * /api/v1/status/config}), sorted by name.
   */
  public Map<String, String> externalLabels() throws IOException {
    JsonNode data = getJson("/api/v1/status/config");
    String yaml = data.path("yaml").asText("");
    JsonNode cfg = YAML.readTree(yaml);
    Map<String, String> out = new TreeMap<>();
    JsonNode ext = cfg == null ? null : cfg.path("global").path("external_labels");
    if (ext != null && ext.isObject()) {
      ext.properties().forEach(e -> out.put(e.getKey(), e.getValue().asText()));
    }
    return out;
  }

  /** The head block's minimum time from {@code /api/v1/status/tsdb}, or {@code Long.MAX_VALUE} when empty. */
  public long headMinTime() throws IOException {
    JsonNode stats = getJson("/api/v1/status/tsdb").path("headStats");
    long min = stats.path("minTime").asLong(Long.MAX_VALUE);
    return stats.path("numSeries").asLong(0) == 0 ? Long.MAX_VALUE : min;
  }

  /** Label names over {@code [start, end]} (ms) of series matching {@code matchers} (all series when empty). */
  public List<String> labelNames(long startMillis, long endMillis, Matcher[] matchers) throws IOException {
    return strings(getJson("/api/v1/labels?" + rangeAndMatch(startMillis, endMillis, matchers)));
  }

  /** Values of {@code name} over {@code [start, end]} (ms) of series matching {@code matchers}. */
  public List<String> labelValues(String name, long startMillis, long endMillis, Matcher[] matchers)
      throws IOException {
    return strings(getJson("/api/v1/label/" + URLEncoder.encode(name, StandardCharsets.UTF_8) + "/values?"
        + rangeAndMatch(startMillis, endMillis, matchers)));
  }

  /**
   * Prometheus' metric metadata ({@code /api/v1/metadata}): the entries per metric family, of {@code metric} only
   * unless it is empty, at most {@code limit} families unless it is negative.
   */
  public Map<String, List<MetricMetadata>> metricMetadata(String metric, int limit) throws IOException {
    StringBuilder q = new StringBuilder("/api/v1/metadata");
    char sep = '?';
    if (limit >= 0) {
      q.append(sep).append("limit=").append(limit);
      sep = '&';
    }
    if (!metric.isEmpty()) {
      q.append(sep).append("metric=").append(URLEncoder.encode(metric, StandardCharsets.UTF_8));
    }
    Map<String, List<MetricMetadata>> out = new TreeMap<>();
    getJson(q.toString()).properties().forEach(family -> {
      List<MetricMetadata> entries = new ArrayList<>();
      family.getValue().forEach(m -> entries.add(new MetricMetadata(m.path("type").asText(""),
          m.path("help").asText(""), m.path("unit").asText(""))));
      out.put(family.getKey(), entries);
    });
    return out;
  }

  /**
   * Prometheus' rule groups ({@code /api/v1/rules}), of {@code type} ({@code alert} or {@code record}) only unless
   * it is null.
   */
  public List<RuleGroupStatus> ruleGroups(String type) throws IOException {
    return PrometheusRulesJson.groups(getJson("/api/v1/rules" + (type == null ? "" : "?type=" + type)));
  }

  /** Prometheus' exemplars ({@code /api/v1/query_exemplars}) of the series {@code query} selects in the range. */
  public List<ExemplarSeries> queryExemplars(String query, long startMillis, long endMillis) throws IOException {
    JsonNode data = getJson("/api/v1/query_exemplars?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8)
        + "&start=" + seconds(startMillis) + "&end=" + seconds(endMillis));
    List<ExemplarSeries> out = new ArrayList<>();
    for (JsonNode s : data) {
      List<Exemplar> exemplars = new ArrayList<>();
      for (JsonNode e : s.path("exemplars")) {
        exemplars.add(new Exemplar(PrometheusJson.labels(e.path("labels")), GoFloat.parse(e.path("value").asText()),
            e.path("timestamp").decimalValue().movePointRight(3).longValue()));
      }
      out.add(new ExemplarSeries(PrometheusJson.labels(s.path("seriesLabels")), exemplars));
    }
    return out;
  }

  /**
   * Prometheus' scrape targets ({@code /api/v1/targets}), of {@code state} ({@code active} or {@code dropped}) only
   * unless it is null.
   */
  public TargetDiscovery targets(String state) throws IOException {
    JsonNode data = getJson("/api/v1/targets" + (state == null ? "" : "?state=" + state));
    List<ActiveTarget> active = new ArrayList<>();
    for (JsonNode t : data.path("activeTargets")) {
      String url = t.path("scrapeUrl").asText("");
      active.add(new ActiveTarget(PrometheusJson.labels(t.path("discoveredLabels")),
          PrometheusJson.labels(t.path("labels")), t.path("scrapePool").asText(""), url,
          t.path("globalUrl").asText(""), t.path("lastError").asText(""),
          PrometheusJson.time(t.path("lastScrape"), "target " + url), t.path("lastScrapeDuration").asDouble(0),
          t.path("health").asText("unknown")));
    }
    List<DroppedTarget> dropped = new ArrayList<>();
    for (JsonNode t : data.path("droppedTargets")) {
      dropped.add(new DroppedTarget(PrometheusJson.labels(t.path("discoveredLabels"))));
    }
    return new TargetDiscovery(active, dropped, List.of());
  }



  private static String rangeAndMatch(long start, long end, Matcher[] matchers) {
    StringBuilder q = new StringBuilder();
    q.append("start=").append(seconds(start)).append("&end=").append(seconds(end));
    if (matchers.length > 0) {
      StringBuilder sel = new StringBuilder("{");
      for (int i = 0; i < matchers.length; i++) {
        if (i > 0) {
          sel.append(',');
        }
        Matcher m = matchers[i];
        sel.append(Matcher.of(m.type(), m.name(), SidecarStore.remoteValue(m)));
      }
      sel.append('}');
      q.append("&match[]=").append(URLEncoder.encode(sel.toString(), StandardCharsets.UTF_8));
    }
    return q.toString();
  }

  private static String seconds(long millis) {
    return java.math.BigDecimal.valueOf(millis, 3).toPlainString();
  }

  private static List<String> strings(JsonNode data) {
    List<String> out = new ArrayList<>();
    if (data.isArray()) {
      data.forEach(n -> out.add(n.asText()));
    }
    return out;
  }

  private JsonNode getJson(String pathAndQuery) throws IOException {
    HttpRequest req = request(pathAndQuery).GET().build();
    HttpResponse<byte[]> resp = send(req, HttpResponse.BodyHandlers.ofByteArray());
    if (resp.statusCode() / 100 != 2) {
      throw new IOException("GET " + req.uri() + ": HTTP " + resp.statusCode() + ": "
          + new String(resp.body(), StandardCharsets.UTF_8).strip());
    }
    JsonNode root = JSON.readTree(resp.body());
    if (!"success".equals(root.path("status").asText())) {
      throw new IOException("GET " + req.uri() + ": " + root.path("error").asText("unexpected response"));
    }
    return root.path("data");
  }

  /** A request to {@code pathAndQuery} under the base URL, with the timeout and the credentials. */
  private HttpRequest.Builder request(String pathAndQuery) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + pathAndQuery)).timeout(timeout);
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    return b;
  }

  private <T> HttpResponse<T> send(HttpRequest req, HttpResponse.BodyHandler<T> handler) throws IOException {
    try {
      return http.send(req, handler);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted: " + req.method() + " " + req.uri());
    }
  }

  /**
   * Sends one remote-read request and returns its frames. With a {@code STREAMED_XOR_CHUNKS} answer the frames are
   * read lazily from the response body (close the result to abandon it); a {@code SAMPLES} answer is returned as one
   * decoded {@link ReadResponse} wrapped in {@link Frames#samples()}.
   *
   * @throws IOException if the request fails or Prometheus answers with an error status (its message included)
   */
  public Frames read(ReadRequest request) throws IOException {
    byte[] raw = request.toByteArray();
    ByteArrayOutputStream compressed = new ByteArrayOutputStream(raw.length / 2 + 16);
    try (SnappyCompressorOutputStream out = new SnappyCompressorOutputStream(compressed, raw.length)) {
      out.write(raw);
    }
    HttpRequest req = request("/api/v1/read")
        .header("Content-Encoding", "snappy")
        .header("Content-Type", "application/x-protobuf")
        .header("X-Prometheus-Remote-Read-Version", "0.1.0")
        .header("User-Agent", "orrery-sidecar")
        .POST(HttpRequest.BodyPublishers.ofByteArray(compressed.toByteArray()))
        .build();
    HttpResponse<InputStream> resp = send(req, HttpResponse.BodyHandlers.ofInputStream());
    InputStream body = resp.body();
    if (resp.statusCode() / 100 != 2) {
      String msg;
      try (body) {
        msg = new String(body.readNBytes(4096), StandardCharsets.UTF_8).strip();
      }
      throw new IOException("remote read from " + base + ": HTTP " + resp.statusCode() + ": " + msg);
    }
    String type = resp.headers().firstValue("Content-Type").orElse("");
    if (type.startsWith("application/x-streamed-protobuf")) {
      return new Frames(new DataInputStream(body), null);
    }
    ReadResponse samples;
    try (InputStream in = new SnappyCompressorInputStream(body)) {
      samples = ReadResponse.parseFrom(in.readAllBytes());
    }
    return new Frames(null, samples);
  }

  /**
   * The answer of a remote read: either a stream of {@link ChunkedReadResponse} frames ({@code uvarint len ‖ BE32
   * CRC32C ‖ msg}, FORMATS.md 10.4), read and checked one at a time, or a {@code SAMPLES} response. Confined to one
   * thread; close it to release the connection.
   */
  public static final class Frames implements Iterator<ChunkedReadResponse>, AutoCloseable {
    private final DataInputStream in;
    private final ReadResponse samples;
    private ChunkedReadResponse next;
    private boolean done;

    Frames(DataInputStream in, ReadResponse samples) {
      this.in = in;
      this.samples = samples;
      this.done = in == null;
    }

    /** The {@code SAMPLES} answer, or {@code null} for a streamed one. */
    public ReadResponse samples() {
      return samples;
    }

    @Override
    public boolean hasNext() {
      if (next != null) {
        return true;
      }
      if (done) {
        return false;
      }
      try {
        next = readFrame();
      } catch (IOException e) {
        done = true;
        throw new OrreryException(ErrorCode.STORAGE, "reading the remote-read stream: " + e.getMessage(), e);
      }
      if (next == null) {
        done = true;
      }
      return next != null;
    }

    @Override
    public ChunkedReadResponse next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      ChunkedReadResponse r = next;
      next = null;
      return r;
    }

    private ChunkedReadResponse readFrame() throws IOException {
      long size = 0;
      int shift = 0;
      for (int i = 0; ; i++) {
        int b = in.read();
        if (b < 0) {
          if (i == 0) {
            return null;
          }
          throw new EOFException("stream ends inside a frame length");
        }
        size |= (long) (b & 0x7F) << shift;
        if (b < 0x80) {
          break;
        }
        shift += 7;
        if (shift > 63) {
          throw new IOException("frame length varint too long");
        }
      }
      if (size > MAX_FRAME_BYTES) {
        throw new IOException("frame of " + size + " bytes exceeds the limit of " + MAX_FRAME_BYTES);
      }
      int want = in.readInt();
      byte[] msg = new byte[(int) size];
      in.readFully(msg);
      CRC32C crc = new CRC32C();
      crc.update(msg);
      if ((int) crc.getValue() != want) {
        throw new IOException(String.format("frame CRC32C mismatch (expected %08x, actual %08x)", want,
            (int) crc.getValue()));
      }
      return ChunkedReadResponse.parseFrom(new ByteArrayInputStream(msg));
    }

    @Override
    public void close() throws IOException {
      done = true;
      if (in != null) {
        in.close();
      }
    }
  }
}
