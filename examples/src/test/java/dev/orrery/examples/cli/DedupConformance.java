package dev.orrery.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orrery.core.chunk.ForwardingSampleIterator;
import dev.orrery.core.chunk.SampleIterator;
import dev.orrery.core.chunk.ValueType;
import dev.orrery.core.labels.Labels;
import dev.orrery.core.labels.MatchType;
import dev.orrery.core.storage.Queryable;
import dev.orrery.core.storage.SelectHints;
import dev.orrery.core.storage.Series;
import dev.orrery.core.storage.SeriesWrappingQueryable;
import dev.orrery.promql.ast.Expr;
import dev.orrery.promql.ast.MatrixSelector;
import dev.orrery.promql.ast.StartOrEnd;
import dev.orrery.promql.ast.SubqueryExpr;
import dev.orrery.promql.ast.VectorSelector;
import dev.orrery.promql.parser.PromqlParser;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * What {@link MultiClusterEndToEndTest}'s per-query deduplication check needs besides the cluster: HTTP API answers
 * reduced to points and compared with compare.py's tolerance, which queries pin one replica, and the tracing that
 * explains a deduplicated value no replica gives (what the engine read, and from which replica each sample came).
 */
final class DedupConformance {
  private DedupConformance() {}

  /** One evaluation of a query: an API path and its parameters besides the query. */
  record Case(String name, String path, Map<String, String> params) {}

  static String seconds(long ms) {
    return BigDecimal.valueOf(ms, 3).stripTrailingZeros().toPlainString();
  }

  /** One output point of an answer: a series' labels (none for scalars and strings) and a timestamp. */
  record Point(Map<String, String> labels, long t) {
    @Override
    public String toString() {
      return labels + "@" + seconds(t);
    }
  }

  /**
   * An HTTP API answer reduced to what compare.py compares: status, error type, result type, and every point with its
   * value (a {@code Double}, or a {@code String} for a string result). Order is dropped: the check is per point.
   */
  record Answer(boolean ok, String errorType, String resultType, Map<Point, Object> points) {
    static Answer of(JsonNode body) {
      if (!"success".equals(body.path("status").asText())) {
        return new Answer(false, body.path("errorType").asText(), "", Map.of());
      }
      JsonNode data = body.path("data");
      String type = data.path("resultType").asText();
      Map<Point, Object> points = new HashMap<>();
      JsonNode result = data.path("result");
      switch (type) {
        case "scalar", "string" -> {
          if (!result.isNull() && !result.isMissingNode()) {
            Object v = type.equals("string") ? result.get(1).asText() : number(result.get(1).asText());
            points.put(new Point(Map.of(), millis(result.get(0))), v);
          }
        }
        case "vector", "matrix" -> {
          for (JsonNode item : result) {
            assertThat(item.has("histogram") || item.has("histograms")).as("no native histograms in the data set")
                .isFalse();
            Map<String, String> labels = new TreeMap<>();
            item.path("metric").properties().forEach(f -> labels.put(f.getKey(), f.getValue().asText()));
            List<JsonNode> values = new ArrayList<>();
            if (type.equals("vector")) {
              values.add(item.get("value"));
            } else {
              item.path("values").forEach(values::add);
            }
            for (JsonNode v : values) {
              Object prev = points.put(new Point(labels, millis(v.get(0))), number(v.get(1).asText()));
              assertThat(prev).as("duplicate point %s", labels).isNull();
            }
          }
        }
        default -> throw new AssertionError("unknown resultType " + type + ": " + body);
      }
      return new Answer(true, "", type, points);
    }

    /** This answer with {@code label} removed from every point (as deduplication removes the replica label). */
    Answer without(String label) {
      Map<Point, Object> out = new HashMap<>();
      points.forEach((p, v) -> {
        Map<String, String> l = new TreeMap<>(p.labels());
        l.remove(label);
        assertThat(out.put(new Point(l, p.t()), v)).as("%s is unique without %s", p, label).isNull();
      });
      return new Answer(ok, errorType, resultType, out);
    }

    /** compare.py's verdict, order aside: same error type, or same result type, points and values. */
    boolean sameAs(Answer o) {
      if (ok != o.ok || !errorType.equals(o.errorType) || !resultType.equals(o.resultType)
          || !points.keySet().equals(o.points.keySet())) {
        return false;
      }
      for (Map.Entry<Point, Object> e : points.entrySet()) {
        if (!close(e.getValue(), o.points.get(e.getKey()))) {
          return false;
        }
      }
      return true;
    }

    @Override
    public String toString() {
      return ok ? resultType + " of " + points.size() + " points" : "error " + errorType;
    }
  }

  static long millis(JsonNode t) {
    return Math.round(t.asDouble() * 1000);
  }

  static double number(String s) {
    return switch (s) {
      case "+Inf", "Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      default -> Double.parseDouble(s);
    };
  }

  /** compare.py's tolerance: equal, or both NaN, or finite and within relative 1e-9; infinities exactly. */
  static boolean close(Object a, Object b) {
    if (!(a instanceof Double x) || !(b instanceof Double y)) {
      return Objects.equals(a, b);
    }
    if (x.equals(y) || x.doubleValue() == y.doubleValue()) {
      return true;
    }
    if (x.isNaN() || y.isNaN() || x.isInfinite() || y.isInfinite()) {
      return false;
    }
    return Math.abs(x - y) <= 1e-9 * Math.max(Math.abs(x), Math.abs(y));
  }

  static Answer ask(HttpClient http, String url, String query, Case c) throws Exception {
    String base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    StringBuilder uri = new StringBuilder(base).append(c.path()).append("?query=")
        .append(URLEncoder.encode(query, StandardCharsets.UTF_8));
    c.params().forEach((k, v) -> uri.append('&').append(k).append('=').append(v));
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(uri.toString())).build(),
        HttpResponse.BodyHandlers.ofString());
    JsonNode body;
    try {
      body = new ObjectMapper().readTree(r.body());
    } catch (IOException e) {
      throw new AssertionError(url + " answered " + query + " with HTTP " + r.statusCode() + ": " + r.body(), e);
    }
    return Answer.of(body);
  }

  /**
   * True when every selector of the query pins one {@code prometheus_replica} with an equality matcher: such a
   * query reads one replica only, so deduplication has nothing to choose and the answer must be exact.
   */
  static boolean selectsOneReplica(String query) {
    Expr root;
    try {
      root = PromqlParser.parse(query);
    } catch (RuntimeException e) {
      return false;
    }
    List<VectorSelector> selectors = new ArrayList<>();
    ArrayDeque<Expr> todo = new ArrayDeque<>(List.of(root));
    while (!todo.isEmpty()) {
      Expr e = todo.pop();
      if (e instanceof VectorSelector v) {
        selectors.add(v);
      }
      todo.addAll(e.children());
    }
    return !selectors.isEmpty() && selectors.stream().allMatch(v -> v.matchers().stream().anyMatch(m ->
        m.name().equals("prometheus_replica") && m.type() == MatchType.EQUAL));
  }

  /** Source bits of a raw sample the deduplicated querier handed the engine. */
  static final int FROM_P0 = 1;
  static final int FROM_P1 = 2;
  /** The functions for which deduplication adjusts counters across a replica switch (FORMATS.md 9.3). */
  static final Set<String> COUNTER_FUNCTIONS = Set.of("rate", "increase", "irate", "resets");

  /**
   * The deduplicating fan-out as the engine's storage, recording every sample the engine reads (through {@code next}
   * or {@code seek}) per series, so a query's answer can be traced to the replicas its input came from. Serves one
   * request at a time: {@link #reset()} between requests.
   */
  static final class RecordingQueryable extends SeriesWrappingQueryable {
    final Map<Labels, ConcurrentSkipListMap<Long, Double>> read = new ConcurrentHashMap<>();
    /** Series selected for a function whose input the querier may counter-adjust. */
    final Set<Labels> adjustable = ConcurrentHashMap.newKeySet();

    RecordingQueryable(Queryable inner) {
      super(inner);
    }

    void reset() {
      read.clear();
      adjustable.clear();
    }

    @Override
    protected Series wrap(Series series, SelectHints hints) {
      if (hints != null && COUNTER_FUNCTIONS.contains(hints.function())) {
        adjustable.add(series.labels());
      }
      var samples = read.computeIfAbsent(series.labels(), k -> new ConcurrentSkipListMap<>());
      return new Series() {
        @Override
        public Labels labels() {
          return series.labels();
        }

        @Override
        public SampleIterator iterator(SampleIterator reuse) {
          return new RecordingIterator(series.iterator(null), samples);
        }
      };
    }
  }

  static final class RecordingIterator extends ForwardingSampleIterator {
    private final Map<Long, Double> samples;

    RecordingIterator(SampleIterator it, Map<Long, Double> samples) {
      super(it);
      this.samples = samples;
    }

    @Override
    public ValueType next() {
      return record(delegate.next());
    }

    @Override
    public ValueType seek(long t) {
      return record(delegate.seek(t));
    }

    private ValueType record(ValueType vt) {
      assertThat(vt).as("float samples only").isIn(ValueType.FLOAT, ValueType.NONE);
      if (vt == ValueType.FLOAT) {
        samples.put(delegate.atT(), delegate.atV());
      }
      return vt;
    }
  }

  /**
   * The raw samples [lo, hi] a query reads to evaluate once at each time in [a, b]: an instant selector looks back
   * {@code lookback}, a range selector its range, a subquery its range before its inner expression's own; {@code @}
   * pins the time ({@code start()}/{@code end()} to the query's), {@code offset} shifts it. Null when nothing is read.
   */
  static long[] reads(Expr e, long a, long b, long start, long end, long lookback) {
    return switch (e) {
      case VectorSelector v -> window(v.timestampMillis(), v.startOrEnd(), v.originalOffsetMillis(), lookback, a, b,
          start, end);
      case MatrixSelector m -> window(m.vectorSelector().timestampMillis(), m.vectorSelector().startOrEnd(),
          m.vectorSelector().originalOffsetMillis(), m.rangeMillis(), a, b, start, end);
      case SubqueryExpr s -> {
        long[] w = window(s.timestampMillis(), s.startOrEnd(), s.originalOffsetMillis(), s.rangeMillis(), a, b, start,
            end);
        yield reads(s.expr(), w[0], w[1], start, end, lookback);
      }
      default -> {
        long[] out = null;
        for (Expr c : e.children()) {
          long[] w = reads(c, a, b, start, end, lookback);
          if (w != null) {
            out = out == null ? w : new long[] {Math.min(out[0], w[0]), Math.max(out[1], w[1])};
          }
        }
        yield out;
      }
    };
  }

  /** The samples one selector or subquery reads when evaluated at the times [a, b], per {@link #reads}. */
  static long[] window(Long at, StartOrEnd startOrEnd, long offset, long range, long a, long b, long start,
      long end) {
    long lo = a;
    long hi = b;
    if (at != null) {
      lo = at;
      hi = at;
    } else if (startOrEnd != null) {
      lo = startOrEnd == StartOrEnd.START ? start : end;
      hi = lo;
    }
    return new long[] {lo - offset - range, hi - offset};
  }

  /**
   * What the engine read through the deduplicating querier for one request, per series: each sample read with the
   * replicas it equals (bit r: replica r has that timestamp and value; none for a counter-adjusted value).
   */
  static final class Provenance {
    private record Traced(NavigableMap<Long, Integer> read, List<TreeMap<Long, Long>> replicas) {}

    private final List<Traced> series = new ArrayList<>();
    /** Samples read that are neither a replica's sample nor, for a counter function, one lifted by the adjustment. */
    final List<String> problems = new ArrayList<>();

    Provenance(RecordingQueryable recorded, Map<Labels, List<TreeMap<Long, Long>>> replicas) {
      recorded.read.forEach((labels, samples) -> {
        List<TreeMap<Long, Long>> rs = replicas.get(labels);
        assertThat(rs).as("series %s read through the querier exists in the data", labels).isNotNull();
        TreeMap<Long, Integer> masks = new TreeMap<>();
        samples.forEach((t, v) -> {
          int mask = 0;
          for (int r = 0; r < 2; r++) {
            Long bits = rs.get(r).get(t);
            if (bits != null && bits == Double.doubleToRawLongBits(v)) {
              mask |= 1 << r;
            }
          }
          masks.put(t, mask);
          if (mask == 0) {
            // Only a counter-adjusted value may be no replica's: a replica's value at t plus a positive errAdjust.
            boolean lifted = false;
            for (int r = 0; r < 2; r++) {
              Long bits = rs.get(r).get(t);
              lifted |= bits != null && v > Double.longBitsToDouble(bits);
            }
            if (!recorded.adjustable.contains(labels) || !lifted) {
              problems.add(labels + "@" + seconds(t) + " read " + v + ", which is no replica's value there"
                  + (lifted ? " (a lifted one, but not for a counter function)" : ""));
            }
          }
        });
        series.add(new Traced(masks, rs));
      });
    }

    /**
     * Whether the samples read in (lo, hi] are exactly replica r's samples there, for every series: bit r of the
     * result. Otherwise 0, and {@link #whyNot} says why.
     */
    int exactlyFrom(long lo, long hi) {
      int out = FROM_P0 | FROM_P1;
      for (Traced s : series) {
        var read = s.read().subMap(lo, false, hi, true);
        for (int mask : read.values()) {
          out &= mask;
        }
        for (int r = 0; r < 2; r++) {
          // And none of replica r's samples missing: the penalty seek can skip some (see dedup-mixing.txt).
          var theirs = s.replicas().get(r).subMap(lo, false, hi, true).keySet();
          if ((out & (1 << r)) != 0 && !read.keySet().containsAll(theirs)) {
            out &= ~(1 << r);
          }
        }
        if (out == 0) {
          break;
        }
      }
      return out;
    }

    /**
     * Why (lo, hi] is no replica's input ({@code dedup-mixing.txt} explains each): a value read is counter-adjusted
     * ({@link #problems} checks it is a lifted replica value); one series was read from both replicas (the window spans
     * a switch); series were read from different replicas (an aggregation mixes them); or everything read is one
     * replica's but some of its samples were skipped (the penalty seek).
     */
    String whyNot(long lo, long hi) {
      boolean switched = false;
      boolean from0 = false;
      boolean from1 = false;
      for (Traced s : series) {
        boolean only0 = false;
        boolean only1 = false;
        for (int m : s.read().subMap(lo, false, hi, true).values()) {
          if (m == 0) {
            return "adjusted";
          }
          only0 |= m == FROM_P0;
          only1 |= m == FROM_P1;
        }
        switched |= only0 && only1;
        from0 |= only0;
        from1 |= only1;
      }
      return switched ? "switch" : from0 && from1 ? "across" : "skipped";
    }
  }

  static long millis(String seconds) {
    return new BigDecimal(seconds).movePointRight(3).longValueExact();
  }
}
