package dev.orrery.promql.http;

import dev.orrery.core.OrreryException;
import dev.orrery.core.labels.Labels;
import dev.orrery.core.labels.Matcher;
import dev.orrery.core.labels.Utf8Order;
import dev.orrery.core.rules.RuleGroupsSource;
import dev.orrery.core.storage.ExemplarSource;
import dev.orrery.core.storage.MergeSeriesSet;
import dev.orrery.core.storage.MetricMetadataSource;
import dev.orrery.core.storage.Querier;
import dev.orrery.core.storage.Queryable;
import dev.orrery.core.storage.SelectHints;
import dev.orrery.core.storage.SeriesSet;
import dev.orrery.core.storage.StoreOptions;
import dev.orrery.core.storage.StoreStatusSource;
import dev.orrery.core.targets.TargetsSource;
import dev.orrery.promql.ast.Expr;
import dev.orrery.promql.engine.QueryException;
import dev.orrery.promql.engine.QueryResult;
import dev.orrery.promql.parser.PromqlParseException;
import dev.orrery.promql.parser.PromqlParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.TreeSet;
import java.util.zip.GZIPOutputStream;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.MimeTypes;
import org.eclipse.jetty.server.FormFields;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.util.URIUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Prometheus' HTTP query API as an embeddable Jetty 12 handler. It answers
 *
 * <ul>
 *   <li>{@code /api/v1/query} and {@code /api/v1/query_range} (GET and POST) through a {@link QueryEvaluator};
 *   <li>{@code /api/v1/series}, {@code /api/v1/labels} (GET and POST) and {@code /api/v1/label/<name>/values} from a
 *       {@link Queryable};
 *   <li>{@code /api/v1/format_query} and {@code /api/v1/parse_query} (GET and POST) with Orrery's parser;
 *   <li>{@code /api/v1/status/buildinfo};
 *   <li>{@code /api/v1/query_exemplars} (GET and POST) from an {@link ExemplarSource} (none by default);
 *   <li>{@code /api/v1/targets} (parameter {@code state}) from a {@link TargetsSource} (none by default);
 *   <li>Thanos' {@code /api/v1/stores}, a querier's store endpoints and their health, from a {@link
 *       StoreStatusSource} (none by default);
 *   <li>{@code /api/v1/metadata} (parameters {@code metric}, {@code limit}, {@code limit_per_metric} and {@code
 *       partial_response}) from a {@link MetricMetadataSource} (none by default: blocks carry no metadata);
 *   <li>{@code /api/v1/rules} (parameters {@code type}, {@code rule_name[]}, {@code rule_group[]}, {@code file[]},
 *       {@code match[]}, Prometheus 3's {@code exclude_alerts} and paging {@code group_limit} and {@code
 *       group_next_token}, and {@code partial_response}) and {@code /api/v1/alerts} from a {@link RuleGroupsSource}
 *       (none by default);
 *   <li>{@code /-/healthy} and {@code /-/ready} (GET or HEAD), which answer 200 while the server runs;
 *   <li>{@code /-/reload} (POST or PUT) when given a {@link Reloader}: 200 once it reloaded, 500 with the error when
 *       it failed; other methods are answered 405;
 *   <li>{@code /}, a self-contained page that runs queries and draws range results (can be turned off).
 * </ul>
 *
 * <p>Parameters are read from the query string and, for POST, from an {@code application/x-www-form-urlencoded} body,
 * the body's values first (Go's {@code Request.FormValue}). Bodies are compressed with gzip when the client accepts
 * it. Other paths are left unhandled ({@code handle} returns false), so the handler can sit in front of others.
 *
 * {@snippet :
 * PrometheusApiHandler api = PrometheusApiHandler.builder()
 *     .queryable(blocks)
 *     .evaluator(new EngineQueryEvaluator(engine, blocks))
 *     .build();
 * try (ApiServer server = ApiServer.builder().address("127.0.0.1", 10902).handler(api).start()) {
 *   server.join();
 * }
 * }
 *
 * <p>Thread-safe; requests are handled on the calling (Jetty) thread, which blocks while a query runs.
 */
public final class PrometheusApiHandler extends Handler.Abstract {
  private static final Logger LOG = LoggerFactory.getLogger(PrometheusApiHandler.class);
  private static final String API_PREFIX = "/api/v1/";
  private static final String LIFECYCLE_PREFIX = "/-/";
  private static final String TRUNCATED_WARNING = "results truncated due to limit";
  /** Prometheus' limit on points per series of a range query ({@code queryRange} in {@code api.go}). */
  static final long MAX_POINTS_PER_SERIES = 11_000;
  /** Go's default limit on a form body (10 MB). */
  private static final int MAX_FORM_BYTES = 10 << 20;
  private static final int MAX_FORM_FIELDS = 100_000;

  private final Queryable queryable;
  private final QueryEvaluator evaluator;
  private final BuildInfo buildInfo;
  private final Clock clock;
  private final byte[] indexPage;
  private final SourceEndpoints sources;
  private final boolean autoDownsampling;
  private final Reloader reloader;

  private PrometheusApiHandler(Builder b) {
    this.queryable = Objects.requireNonNull(b.queryable, "queryable is not set");
    this.evaluator = Objects.requireNonNull(b.evaluator, "evaluator is not set");
    this.buildInfo = b.buildInfo == null ? BuildInfo.fromManifest() : b.buildInfo;
    this.clock = b.clock;
    this.indexPage = b.indexPage ? loadIndexPage() : null;
    this.sources = new SourceEndpoints(b.rules, b.metadata, b.exemplars, b.targets, b.stores);
    this.autoDownsampling = b.autoDownsampling;
    this.reloader = b.reloader;

  }

  /** A new builder. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    String path = Request.getPathInContext(request);
    if (indexPage != null && (path.equals("/") || path.isEmpty())) {
      serveIndexPage(request, response, callback);
      return true;
    }
    if (path.startsWith(LIFECYCLE_PREFIX)) {
      return lifecycle(path, request, response, callback);
    }
    if (!path.startsWith(API_PREFIX)) {
      return false;
    }
    Endpoint endpoint = Endpoint.of(path.substring(API_PREFIX.length() - 1));
    if (endpoint == null) {
      return false;
    }
    setCorsHeaders(request, response);
    String method = request.getMethod();
    if (HttpMethod.OPTIONS.is(method)) {
      response.setStatus(204);
      callback.succeeded();
      return true;
    }
    boolean isPost = HttpMethod.POST.is(method);
    if (!HttpMethod.GET.is(method) && !(isPost && endpoint.allowsPost)) {
      response.setStatus(405);
      response.getHeaders().put(HttpHeader.ALLOW, endpoint.allowsPost ? "GET, POST, OPTIONS" : "GET, OPTIONS");
      callback.succeeded();
      return true;
    }
    Reply reply;
    try {
      Params params = Params.of(request, isPost);
      reply = switch (endpoint) {
        case QUERY -> query(params);
        case QUERY_RANGE -> queryRange(params);
        case SERIES -> series(params);
        case LABELS -> labelNames(params);
        case LABEL_VALUES -> labelValues(params, labelNameOf(path));
        case FORMAT_QUERY -> formatQuery(params);
        case PARSE_QUERY -> parseQuery(params);
        case BUILD_INFO -> new Reply(json -> writeBuildInfo(json), List.of(), List.of());
        case METADATA -> sources.metricMetadata(params);
        case QUERY_EXEMPLARS -> sources.queryExemplars(params);
        case TARGETS -> sources.targets(params);
        case STORES -> sources.stores();
        case RULES -> sources.rules(params);
        case ALERTS -> sources.alerts(params);
      };
    } catch (ApiException e) {
      sendError(request, response, callback, e.type(), e.getMessage());
      return true;
    } catch (RuntimeException e) {
      LOG.error("{} {} failed", method, path, e);
      sendError(request, response, callback, ApiErrorType.INTERNAL, String.valueOf(e.getMessage()));
      return true;
    }
    send(request, response, callback, 200, json -> json.writeSuccess(reply.data(), reply.warnings(), reply.infos()));
    return true;
  }

  // ---------------------------------------------------------------- endpoints

  // Prometheus' /-/ routes, answered in plain text as Prometheus does. Unknown ones, and /-/reload without a reloader,
  // are left to other handlers.
  private boolean lifecycle(String path, Request request, Response response, Callback callback) {
    if (OpsHandler.health(path, request, response, callback)) {
      return true;
    }
    String method = request.getMethod();
    switch (path) {
      case "/-/reload" -> {
        if (reloader == null) {
          return false;
        }
        if (!HttpMethod.POST.is(method) && !HttpMethod.PUT.is(method)) {
          OpsHandler.sendText(response, callback, 405, "POST, PUT", "Only POST or PUT requests allowed\n");
        } else {
          reload(response, callback);
        }
        return true;
      }
      default -> {
        return false;
      }
    }
  }

  private void reload(Response response, Callback callback) {
    try {
      reloader.reload();
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      String reason = e.getMessage() == null ? e.toString() : e.getMessage();
      OpsHandler.sendText(response, callback, 500, null, "failed to reload: " + reason + "\n");
      return;
    }
    OpsHandler.sendText(response, callback, 200, null, "");
  }

  private Reply query(Params p) {
    int limit = ApiParameters.parseLimit(p.first("limit"));
    long time = ApiParameters.parseTimeParam("time", p.first("time"), clock.millis());
    QueryOptions options = queryOptions(p, null, false);
    String query = p.first("query", "");
    QueryResult result = evaluate(() -> evaluator.instantQuery(query, time, options));
    return queryReply(query, result, limit);
  }

  private Reply queryRange(Params p) {
    int limit = ApiParameters.parseLimit(p.first("limit"));
    long start = parseRequiredTime("start", p.first("start", ""));
    long end = parseRequiredTime("end", p.first("end", ""));
    if (end < start) {
      throw ApiException.invalidParameter("end", "end timestamp must not be before start time");
    }
    long stepNanos;
    try {
      stepNanos = ApiParameters.parseDuration(p.first("step", ""));
    } catch (IllegalArgumentException e) {
      throw ApiException.invalidParameter("step", e.getMessage());
    }
    if (stepNanos <= 0) {
      throw ApiException.invalidParameter("step",
          "zero or negative query resolution step widths are not accepted. Try a positive integer");
    }
    // For safety Prometheus limits the points per series: end.Sub(start)/step, in nanoseconds.
    if (rangeNanos(start, end) / stepNanos > MAX_POINTS_PER_SERIES) {
      throw ApiException.badData(
          "exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)");
    }
    long stepMillis = stepNanos / 1_000_000L;
    QueryOptions options = queryOptions(p, stepMillis / 5, autoDownsampling);
    String query = p.first("query", "");
    QueryResult result = evaluate(() -> evaluator.rangeQuery(query, start, end, stepMillis, options));
    return queryReply(query, result, limit);
  }

  // Go's end.Sub(start): nanoseconds, saturating (end >= start here).
  private static long rangeNanos(long startMillis, long endMillis) {
    long diff;
    try {
      diff = Math.subtractExact(endMillis, startMillis);
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE;
    }
    return diff > Long.MAX_VALUE / 1_000_000L ? Long.MAX_VALUE : diff * 1_000_000L;
  }

  private static long parseRequiredTime(String name, String value) {
    try {
      return ApiParameters.parseTime(value);
    } catch (IllegalArgumentException e) {
      throw ApiException.invalidParameter(name, e.getMessage());
    }
  }

  /**
   * @param autoResolutionMillis what {@code max_source_resolution=auto} means for this query, or {@code null}
   * @param autoByDefault whether a query without {@code max_source_resolution} is {@code auto}
   */
  private static QueryOptions queryOptions(Params p, Long autoResolutionMillis, boolean autoByDefault) {
    Duration timeout = null;
    String to = p.first("timeout");
    if (to != null && !to.isEmpty()) {
      try {
        timeout = Duration.ofNanos(ApiParameters.parseDuration(to));
      } catch (IllegalArgumentException e) {
        throw ApiException.invalidParameter("timeout", e.getMessage());
      }
    }
    Duration lookback = null;
    String lb = p.first("lookback_delta");
    if (lb != null && !lb.isEmpty()) {
      try {
        lookback = Duration.ofNanos(ApiParameters.parseDuration(lb));
      } catch (IllegalArgumentException e) {
        throw ApiException.badData("error parsing lookback delta duration: " + e.getMessage());
      }
    }
    StoreOptions store = storeOptions(p, autoResolutionMillis, autoByDefault);
    return timeout == null && lookback == null && store.isEmpty() ? QueryOptions.DEFAULT
        : new QueryOptions(timeout, lookback, store);
  }

  // The Thanos querier's parameters, carried to the stores as select hints.
  static StoreOptions storeOptions(Params p) {
    return storeOptions(p, null, false);
  }

  // max_source_resolution=auto is Thanos' step / 5 for range queries, raw data otherwise.
  private static StoreOptions storeOptions(Params p, Long autoResolutionMillis, boolean autoByDefault) {
    Boolean dedup = bool(p, "dedup");
    Boolean partial = bool(p, "partial_response");
    List<String> replicaLabels = p.all("replicaLabels[]");
    Long resolution = null;
    String res = p.first("max_source_resolution");
    if ("auto".equals(res) || autoByDefault && (res == null || res.isEmpty())) {
      resolution = autoResolutionMillis;
    } else if (res != null && !res.isEmpty()) {
      try {
        resolution = ApiParameters.parseDuration(res) / 1_000_000L;
      } catch (IllegalArgumentException e) {
        throw ApiException.invalidParameter("max_source_resolution", e.getMessage());
      }
      if (resolution < 0) {
        throw ApiException.badData("negative 'max_source_resolution' is not accepted. Try a positive integer");
      }
    }
    return new StoreOptions(dedup, replicaLabels.isEmpty() ? null : replicaLabels, partial, resolution);
  }

  static Boolean bool(Params p, String name) {
    String v = p.first(name);
    if (v == null || v.isEmpty()) {
      return null;
    }
    return switch (v.toLowerCase(java.util.Locale.ROOT)) {
      case "true", "1", "t" -> Boolean.TRUE;
      case "false", "0", "f" -> Boolean.FALSE;
      default -> throw ApiException.invalidParameter(name, "cannot parse \"" + v + "\" as a boolean");
    };
  }

  private interface Evaluation {
    QueryResult run();
  }

  // Prometheus: a query that does not parse is invalidParamError(err, "query"); execution errors keep their type.
  private static QueryResult evaluate(Evaluation evaluation) {
    try {
      return evaluation.run();
    } catch (PromqlParseException e) {
      throw ApiException.invalidParameter("query", e.getMessage());
    } catch (QueryException e) {
      if (e.type() == QueryException.ErrorType.BAD_DATA) {
        throw ApiException.invalidParameter("query", e.getMessage());
      }
      throw new ApiException(errorType(e.type()), e.getMessage(), e);
    } catch (OrreryException e) {
      throw new ApiException(ApiErrorType.INTERNAL, e.getMessage(), e);
    }
  }

  static ApiErrorType errorType(QueryException.ErrorType type) {
    return switch (type) {
      case BAD_DATA -> ApiErrorType.BAD_DATA;
      case EXECUTION -> ApiErrorType.EXECUTION;
      case TIMEOUT -> ApiErrorType.TIMEOUT;
      case CANCELED -> ApiErrorType.CANCELED;
      case INTERNAL -> ApiErrorType.INTERNAL;
    };
  }

  private static Reply queryReply(String query, QueryResult result, int limit) {
    List<String> warnings = new ArrayList<>(capped(result.annotations().warnings(query), "warning"));
    List<String> infos = capped(result.annotations().infos(query), "info");
    QueryResult shown = result;
    if (limit > 0) {
      if (result instanceof QueryResult.Vector v && v.samples().size() > limit) {
        shown = new QueryResult.Vector(v.samples().subList(0, limit), v.annotations());
        warnings.add(TRUNCATED_WARNING);
      } else if (result instanceof QueryResult.Matrix m && m.series().size() > limit) {
        shown = new QueryResult.Matrix(m.series().subList(0, limit), m.annotations());
        warnings.add(TRUNCATED_WARNING);
      }
    }
    QueryResult data = shown;
    return new Reply(json -> json.writeQueryData(data), warnings, infos);
  }

  // Annotations.AsStrings(query, 10, 10): at most ten of each kind, then a count of the rest.
  private static List<String> capped(List<String> all, String kind) {
    if (all.size() <= 10) {
      return all;
    }
    List<String> out = new ArrayList<>(all.subList(0, 10));
    out.add((all.size() - 10) + " more " + kind + " annotations omitted");
    return out;
  }

  private Reply series(Params p) {
    List<String> selectors = p.all("match[]");
    if (selectors.isEmpty()) {
      throw ApiException.badData("no match[] parameter provided");
    }
    int limit = ApiParameters.parseLimit(p.first("limit"));
    long start = ApiParameters.parseTimeParam("start", p.first("start"), ApiParameters.MIN_TIME_MILLIS);
    long end = ApiParameters.parseTimeParam("end", p.first("end"), ApiParameters.MAX_TIME_MILLIS);
    List<List<Matcher>> sets;
    try {
      sets = ApiParameters.parseMatcherSets(selectors);
    } catch (IllegalArgumentException e) {
      throw ApiException.invalidParameter("match[]", e.getMessage());
    }
    // "series" is not a function: the token tells stores that no samples are needed.
    SelectHints hints = storeOptions(p).applyTo(
        new SelectHints(start, end, 0, "series", 0, List.of(), false, true, List.of(), true, 0), start, end);
    List<Labels> found = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    try (Querier q = openQuerier(start, end)) {
      List<SeriesSet> selected = new ArrayList<>(sets.size());
      for (List<Matcher> set : sets) {
        selected.add(q.select(true, hints, set.toArray(Matcher[]::new)));
      }
      SeriesSet merged = selected.size() == 1 ? selected.get(0) : MergeSeriesSet.of(selected);
      while (merged.next()) {
        found.add(merged.at().labels());
        if (limit > 0 && found.size() > limit) {
          found.remove(found.size() - 1);
          warnings.add(TRUNCATED_WARNING);
          break;
        }
      }
      warnings.addAll(0, merged.warnings());
    } catch (OrreryException e) {
      throw new ApiException(ApiErrorType.EXECUTION, e.getMessage(), e);
    }
    return new Reply(json -> {
      json.generator().writeStartArray();
      for (Labels l : found) {
        json.writeLabels(l);
      }
      json.generator().writeEndArray();
    }, warnings, List.of());
  }

  private Reply labelNames(Params p) {
    return labelList(p, (q, options, matchers) -> q.labelNames(options, matchers));
  }

  private Reply labelValues(Params p, String name) {
    if (name.isEmpty()) {
      throw ApiException.badData("invalid label name: " + GoQuote.quote(name));
    }
    return labelList(p, (q, options, matchers) -> q.labelValues(options, name, matchers));
  }

  /** One label call of a querier: names, or one label's values. */
  @FunctionalInterface
  private interface LabelCall {
    List<String> read(Querier q, StoreOptions options, Matcher[] matchers);
  }

  // The label endpoints: the union of the call over every match[] set (or once without matchers), sorted, limited,
  // with the stores' warnings.
  private Reply labelList(Params p, LabelCall call) {
    int limit = ApiParameters.parseLimit(p.first("limit"));
    long start = ApiParameters.parseTimeParam("start", p.first("start"), ApiParameters.MIN_TIME_MILLIS);
    long end = ApiParameters.parseTimeParam("end", p.first("end"), ApiParameters.MAX_TIME_MILLIS);
    List<List<Matcher>> sets = matcherSetsOrBadData(p.all("match[]"));
    StoreOptions options = storeOptions(p);
    TreeSet<String> out = new TreeSet<>(Utf8Order.COMPARATOR);
    List<String> warnings;
    try (Querier q = openQuerier(start, end)) {
      if (sets.isEmpty()) {
        out.addAll(call.read(q, options, new Matcher[0]));
      } else {
        for (List<Matcher> set : sets) {
          out.addAll(call.read(q, options, set.toArray(Matcher[]::new)));
        }
      }
      warnings = q.labelWarnings();
    } catch (OrreryException e) {
      throw new ApiException(ApiErrorType.EXECUTION, e.getMessage(), e);
    }
    return stringListReply(new ArrayList<>(out), limit, warnings);
  }

  static List<List<Matcher>> matcherSetsOrBadData(List<String> selectors) {
    try {
      return ApiParameters.parseMatcherSets(selectors);
    } catch (IllegalArgumentException e) {
      throw ApiException.badData(e.getMessage());
    }
  }

  private static Reply stringListReply(List<String> values, int limit, List<String> storeWarnings) {
    List<String> warnings = new ArrayList<>(storeWarnings);
    List<String> shown = values;
    if (limit > 0 && values.size() > limit) {
      shown = values.subList(0, limit);
      warnings.add(TRUNCATED_WARNING);
    }
    List<String> data = shown;
    return new Reply(json -> json.writeStringArray(data), warnings, List.of());
  }

  private Querier openQuerier(long start, long end) {
    try {
      return queryable.querier(start, end);
    } catch (IOException e) {
      throw new ApiException(ApiErrorType.EXECUTION, e.getMessage(), e);
    }
  }

  private static Reply formatQuery(Params p) {
    String formatted = QueryFormatter.format(parseQueryParam(p));
    return new Reply(json -> json.generator().writeString(formatted), List.of(), List.of());
  }

  private static Reply parseQuery(Params p) {
    Expr expr = parseQueryParam(p);
    return new Reply(json -> ParseTreeJson.write(json.generator(), expr), List.of(), List.of());
  }

  private static Expr parseQueryParam(Params p) {
    try {
      return PromqlParser.parse(p.first("query", ""));
    } catch (PromqlParseException e) {
      throw ApiException.invalidParameter("query", e.getMessage());
    }
  }

  private void writeBuildInfo(ApiJsonWriter json) throws IOException {
    var g = json.generator();
    g.writeStartObject();
    g.writeStringField("version", buildInfo.version());
    g.writeStringField("revision", buildInfo.revision());
    g.writeStringField("branch", buildInfo.branch());
    g.writeStringField("buildUser", buildInfo.buildUser());
    g.writeStringField("buildDate", buildInfo.buildDate());
    g.writeStringField("goVersion", buildInfo.goVersion());
    g.writeEndObject();
  }

  // ---------------------------------------------------------------- routing and parameters

  /**
   * The name under which {@code path} is counted in the HTTP metrics ({@link InstrumentedHandler}): the Thanos
   * querier's handler names for the API ({@code query}, {@code query_range}, {@code label_values}, ...), {@code index}
   * for the query page, {@code healthy}, {@code ready} and {@code reload} for the {@code /-/} routes; {@code null} for
   * a path this handler does not serve.
   */
  public static String routeName(String path) {
    if (path.startsWith(API_PREFIX)) {
      Endpoint endpoint = Endpoint.of(path.substring(API_PREFIX.length() - 1));
      return endpoint == null ? null : endpoint.handlerName;
    }
    return switch (path) {
      case "", "/" -> "index";
      case "/-/healthy" -> "healthy";
      case "/-/ready" -> "ready";
      case "/-/reload" -> "reload";
      default -> null;
    };
  }

  private enum Endpoint {
    QUERY("/query", true, "query"),
    QUERY_RANGE("/query_range", true, "query_range"),
    SERIES("/series", true, "series"),
    LABELS("/labels", true, "label_names"),
    LABEL_VALUES(null, false, "label_values"),
    FORMAT_QUERY("/format_query", true, "format_query"),
    PARSE_QUERY("/parse_query", true, "parse_query"),
    BUILD_INFO("/status/buildinfo", false, "status_build_info"),
    METADATA("/metadata", false, "metadata"),
    RULES("/rules", false, "rules"),
    ALERTS("/alerts", false, "alerts"),
    QUERY_EXEMPLARS("/query_exemplars", true, "exemplars"),
    TARGETS("/targets", false, "targets"),
    STORES("/stores", false, "stores");

    private final String path;
    private final boolean allowsPost;
    /** The Thanos querier's name for the route in {@code http_requests_total{handler}}. */
    private final String handlerName;

    Endpoint(String path, boolean allowsPost, String handlerName) {
      this.path = path;
      this.allowsPost = allowsPost;
      this.handlerName = handlerName;
    }

    static Endpoint of(String apiPath) {
      for (Endpoint e : values()) {
        if (apiPath.equals(e.path)) {
          return e;
        }
      }
      if (apiPath.startsWith("/label/") && apiPath.endsWith("/values")
          && apiPath.length() >= "/label//values".length()
          && apiPath.indexOf('/', "/label/".length()) == apiPath.length() - "/values".length()) {
        return LABEL_VALUES;
      }
      return null;
    }
  }

  // The <name> of /api/v1/label/<name>/values, percent-decoded, then U__ value-encoding undone as Prometheus 3.x.
  private static String labelNameOf(String path) {
    String encoded = path.substring((API_PREFIX + "label/").length(), path.length() - "/values".length());
    String name = URIUtil.decodePath(encoded);
    return name.startsWith("U__") ? unescapeValueEncoding(name) : name;
  }

  /**
   * Prometheus' {@code model.UnescapeName} for value-encoding escaping: after {@code U__}, {@code __} is an
   * underscore and {@code _<hex>_} a code point; anything malformed leaves the name as it was.
   */
  static String unescapeValueEncoding(String name) {
    String escaped = name.substring(3);
    StringBuilder out = new StringBuilder(escaped.length());
    int i = 0;
    while (i < escaped.length()) {
      char c = escaped.charAt(i);
      if (c != '_') {
        out.append(c);
        i++;
        continue;
      }
      i++;
      if (i >= escaped.length()) {
        return name;
      }
      if (escaped.charAt(i) == '_') {
        out.append('_');
        i++;
        continue;
      }
      int codePoint = 0;
      int digits = 0;
      while (true) {
        if (i >= escaped.length() || digits >= 6) {
          return name;
        }
        char h = Character.toLowerCase(escaped.charAt(i));
        if (h == '_') {
          if (codePoint > Character.MAX_CODE_POINT || (codePoint >= 0xD800 && codePoint <= 0xDFFF)) {
            return name;
          }
          out.appendCodePoint(codePoint);
          i++;
          break;
        }
        int d = Character.digit(h, 16);
        if (d < 0) {
          return name;
        }
        codePoint = codePoint * 16 + d;
        digits++;
        i++;
      }
    }
    return out.toString();
  }

  /** Request parameters as Go's {@code Request.Form}: POST form values first, then the query string's. */
  record Params(Fields fields) {
    static Params of(Request request, boolean isPost) {
      Fields query = Request.extractQueryParameters(request);
      if (!isPost) {
        return new Params(query);
      }
      String contentType = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
      if (contentType == null
          || !MimeTypes.Type.FORM_ENCODED.is(MimeTypes.getContentTypeWithoutCharset(contentType))) {
        return new Params(query);
      }
      Fields form;
      try {
        form = FormFields.getFields(request, MAX_FORM_FIELDS, MAX_FORM_BYTES);
      } catch (RuntimeException e) {
        throw ApiException.badData("error parsing form values: " + e.getMessage());
      }
      Fields all = new Fields(true);
      for (Fields.Field f : form) {
        for (String v : f.getValues()) {
          all.add(f.getName(), v);
        }
      }
      for (Fields.Field f : query) {
        for (String v : f.getValues()) {
          all.add(f.getName(), v);
        }
      }
      return new Params(all);
    }

    String first(String name) {
      Fields.Field f = fields.get(name);
      return f == null ? null : f.getValue();
    }

    String first(String name, String absent) {
      String v = first(name);
      return v == null ? absent : v;
    }

    List<String> all(String name) {
      return fields.getValuesOrEmpty(name);
    }
  }

  /** A success body: its {@code data} and annotations. */
  record Reply(ApiJsonWriter.DataWriter data, List<String> warnings, List<String> infos) {}

  // ---------------------------------------------------------------- responses

  // httputil.SetCORS with Prometheus' default origin pattern ".*".
  private static void setCorsHeaders(Request request, Response response) {
    HttpFields.Mutable h = response.getHeaders();
    h.put("Access-Control-Allow-Headers", "Accept, Authorization, Content-Type, Origin");
    h.put("Access-Control-Allow-Methods", "GET, POST, OPTIONS");
    h.put("Access-Control-Expose-Headers", "Date");
    String origin = request.getHeaders().get(HttpHeader.ORIGIN);
    if (origin != null) {
      h.put("Access-Control-Allow-Origin", origin);
    }
  }

  // Go's http.Error: a plain-text body.
  private static void sendError(Request request, Response response, Callback callback, ApiErrorType type,
      String message) {
    send(request, response, callback, type.httpStatus(), json -> json.writeError(type, message));
  }

  private static void send(Request request, Response response, Callback callback, int status,
      ApiJsonWriter.DataWriter body) {
    response.setStatus(status);
    HttpFields.Mutable h = response.getHeaders();
    h.put(HttpHeader.CONTENT_TYPE, "application/json");
    boolean gzip = acceptsGzip(request);
    h.add(HttpHeader.VARY, "Accept-Encoding");
    if (gzip) {
      h.put(HttpHeader.CONTENT_ENCODING, "gzip");
    }
    try (OutputStream raw = new ResponseBodyStream(response, ResponseBodyStream.DEFAULT_BUFFER_BYTES);
        OutputStream out = gzip ? new GZIPOutputStream(raw, 8192) : raw;
        ApiJsonWriter json = new ApiJsonWriter(out)) {
      body.write(json);
    } catch (IOException | UncheckedIOException e) {
      callback.failed(e);
      return;
    }
    callback.succeeded();
  }

  /** True when {@code Accept-Encoding} lists gzip (or {@code *}) with a non-zero quality. */
  static boolean acceptsGzip(Request request) {
    for (String value : request.getHeaders().getValuesList(HttpHeader.ACCEPT_ENCODING)) {
      for (String part : value.split(",")) {
        String[] codingAndParams = part.trim().split(";");
        String coding = codingAndParams[0].trim().toLowerCase(Locale.ROOT);
        if (!coding.equals("gzip") && !coding.equals("x-gzip") && !coding.equals("*")) {
          continue;
        }
        boolean zeroQuality = false;
        for (int i = 1; i < codingAndParams.length; i++) {
          String param = codingAndParams[i].trim().toLowerCase(Locale.ROOT);
          if (param.startsWith("q=")) {
            try {
              zeroQuality = Double.parseDouble(param.substring(2)) == 0;
            } catch (NumberFormatException e) {
              zeroQuality = true;
            }
          }
        }
        if (!zeroQuality) {
          return true;
        }
      }
    }
    return false;
  }

  private void serveIndexPage(Request request, Response response, Callback callback) {
    if (!HttpMethod.GET.is(request.getMethod()) && !HttpMethod.HEAD.is(request.getMethod())) {
      response.setStatus(405);
      callback.succeeded();
      return;
    }
    response.setStatus(200);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/html; charset=utf-8");
    response.write(true, ByteBuffer.wrap(indexPage), callback);
  }

  private static byte[] loadIndexPage() {
    try (InputStream in = PrometheusApiHandler.class.getResourceAsStream("index.html")) {
      if (in == null) {
        throw new IllegalStateException("index.html is missing from the orrery-promql jar");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read index.html from the orrery-promql jar", e);
    }
  }

  /** Builds a {@link PrometheusApiHandler}; {@link #queryable} and {@link #evaluator} are required. */
  public static final class Builder {
    private Queryable queryable;
    private QueryEvaluator evaluator;
    private BuildInfo buildInfo;
    private Clock clock = Clock.systemUTC();
    private boolean indexPage = true;
    private RuleGroupsSource rules = RuleGroupsSource.NONE;
    private Reloader reloader;
    private MetricMetadataSource metadata = MetricMetadataSource.NONE;
    private ExemplarSource exemplars = ExemplarSource.NONE;
    private TargetsSource targets = TargetsSource.NONE;
    private StoreStatusSource stores = StoreStatusSource.NONE;
    private boolean autoDownsampling;

    private Builder() {}

    /** The storage that series and label queries read. */
    public Builder queryable(Queryable queryable) {
      this.queryable = Objects.requireNonNull(queryable, "queryable is null");
      return this;
    }

    /** What runs PromQL for the query endpoints. */
    public Builder evaluator(QueryEvaluator evaluator) {
      this.evaluator = Objects.requireNonNull(evaluator, "evaluator is null");
      return this;
    }

    /** What {@code /api/v1/status/buildinfo} reports (default: {@link BuildInfo#fromManifest()}). */
    public Builder buildInfo(BuildInfo buildInfo) {
      this.buildInfo = Objects.requireNonNull(buildInfo, "buildInfo is null");
      return this;
    }

    /** The clock for the default {@code time} of instant queries (default: the system clock). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock is null");
      return this;
    }

    /** What {@code /api/v1/rules} and {@code /api/v1/alerts} serve (default: no rules). */
    public Builder rules(RuleGroupsSource rules) {
      this.rules = Objects.requireNonNull(rules, "rules is null");
      return this;
    }

    /**
     * Serves {@code /-/reload}, which runs {@code reloader} (Prometheus' lifecycle endpoint; default: not served, the
     * path is left to other handlers).
     */
    public Builder reloader(Reloader reloader) {
      this.reloader = Objects.requireNonNull(reloader, "reloader is null");
      return this;
    }

    /** What {@code /api/v1/metadata} serves (default: {@link MetricMetadataSource#NONE}, an empty answer). */
    public Builder metadata(MetricMetadataSource metadata) {
      this.metadata = Objects.requireNonNull(metadata, "metadata is null");
      return this;
    }

    /**
     * What {@code /api/v1/query_exemplars} serves (default: {@link ExemplarSource#NONE}, no exemplars: blocks carry
     * none).
     */
    public Builder exemplars(ExemplarSource exemplars) {
      this.exemplars = Objects.requireNonNull(exemplars, "exemplars is null");
      return this;
    }

    /** What Thanos' {@code /api/v1/stores} serves (default: {@link StoreStatusSource#NONE}, no stores). */
    public Builder stores(StoreStatusSource stores) {
      this.stores = Objects.requireNonNull(stores, "stores is null");
      return this;
    }

    /** What {@code /api/v1/targets} serves (default: {@link TargetsSource#NONE}, no targets). */
    public Builder targets(TargetsSource targets) {
      this.targets = Objects.requireNonNull(targets, "targets is null");
      return this;
    }

    /**
     * Whether range queries without {@code max_source_resolution} read data downsampled to up to a fifth of their
     * step, as Thanos' {@code --query.auto-downsampling} (default false: raw data).
     */
    public Builder autoDownsampling(boolean enabled) {
      this.autoDownsampling = enabled;
      return this;
    }

    /** Whether {@code /} serves the query page (default true). */
    public Builder indexPage(boolean enabled) {
      this.indexPage = enabled;
      return this;
    }

    /**
     * The handler.
     *
     * @throws NullPointerException if the queryable or the evaluator is not set
     */
    public PrometheusApiHandler build() {
      return new PrometheusApiHandler(this);
    }
  }
}
