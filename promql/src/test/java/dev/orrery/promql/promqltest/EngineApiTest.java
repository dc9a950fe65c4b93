package dev.orrery.promql.promqltest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orrery.core.labels.Labels;
import dev.orrery.promql.engine.Engine;
import dev.orrery.promql.engine.Query;
import dev.orrery.promql.engine.QueryException;
import dev.orrery.promql.engine.QueryResult;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class EngineApiTest {
  private static InMemoryStorage storage(String script) {
    InMemoryStorage s = InMemoryStorage.empty();
    for (TestScript.Command c : TestScript.parse(script).commands) {
      if (c instanceof TestScript.Load l) {
        s = s.plus(l);
      }
    }
    return s;
  }

  private static final InMemoryStorage DATA = storage("""
      load 1m
        http_requests_total{job="api", instance="0"} 0+10x100
        http_requests_total{job="api", instance="1"} 0+20x100
      """);

  @Test
  void instantQueryReturnsVectorWithDroppedName() {
    Engine engine = Engine.builder().build();
    try (Query q = engine.instantQuery(DATA, "sum by (job) (rate(http_requests_total[5m]))", 60 * 60_000)) {
      QueryResult r = q.execute();
      assertThat(r).isInstanceOf(QueryResult.Vector.class);
      QueryResult.Vector v = (QueryResult.Vector) r;
      assertThat(v.samples()).hasSize(1);
      assertThat(v.samples().get(0).labels()).isEqualTo(Labels.of("job", "api"));
      assertThat(v.samples().get(0).value()).isCloseTo(0.5, org.assertj.core.data.Offset.offset(1e-9));
    }
  }

  @Test
  void rangeQueryReturnsSortedMatrix() {
    Engine engine = Engine.builder().build();
    try (Query q = engine.rangeQuery(DATA, "http_requests_total", 0, 10 * 60_000, 60_000)) {
      QueryResult.Matrix m = (QueryResult.Matrix) q.execute();
      assertThat(m.series()).hasSize(2);
      assertThat(m.series().get(0).labels().get("instance")).isEqualTo("0");
      assertThat(m.series().get(0).floatTimestamps()).hasSize(11);
    }
  }

  @Test
  void scalarAndStringResults() {
    Engine engine = Engine.builder().build();
    try (Query q = engine.instantQuery(DATA, "1 + 2", 0)) {
      assertThat(((QueryResult.Scalar) q.execute()).value()).isEqualTo(3);
    }
    try (Query q = engine.instantQuery(DATA, "\"x\"", 0)) {
      assertThat(((QueryResult.StringResult) q.execute()).value()).isEqualTo("x");
    }
  }

  @Test
  void parseErrorIsBadData() {
    Engine engine = Engine.builder().build();
    assertThatThrownBy(() -> engine.instantQuery(DATA, "sum(", 0))
        .isInstanceOfSatisfying(QueryException.class,
            e -> assertThat(e.type()).isEqualTo(QueryException.ErrorType.BAD_DATA));
  }

  @Test
  void tooManyPointsPerSeriesIsBadData() {
    Engine engine = Engine.builder().build();
    assertThatThrownBy(() -> engine.rangeQuery(DATA, "up", 0, 11_001_000, 1000))
        .isInstanceOfSatisfying(QueryException.class, e -> {
          assertThat(e.type()).isEqualTo(QueryException.ErrorType.BAD_DATA);
          assertThat(e.getMessage()).contains("11,000 points");
        });
  }

  @Test
  void rangeVectorInRangeQueryIsBadData() {
    Engine engine = Engine.builder().build();
    try (Query q = engine.rangeQuery(DATA, "http_requests_total[5m]", 0, 60_000, 60_000)) {
      assertThatThrownBy(q::execute).isInstanceOfSatisfying(QueryException.class,
          e -> assertThat(e.getMessage()).isEqualTo(
              "invalid expression type \"range vector\" for range query, must be Scalar or instant Vector"));
    }
  }

  @Test
  void sampleLimitIsAnExecutionError() {
    Engine engine = Engine.builder().maxSamples(5).build();
    try (Query q = engine.rangeQuery(DATA, "http_requests_total", 0, 10 * 60_000, 60_000)) {
      assertThatThrownBy(q::execute).isInstanceOfSatisfying(QueryException.class, e -> {
        assertThat(e.type()).isEqualTo(QueryException.ErrorType.EXECUTION);
        assertThat(e.getMessage()).contains("too many samples");
      });
    }
  }

  @Test
  void cancelledQueryFailsWithCanceled() {
    Engine engine = Engine.builder().build();
    try (Query q = engine.rangeQuery(DATA, "rate(http_requests_total[5m])", 0, 60 * 60_000, 60_000)) {
      q.cancel();
      assertThatThrownBy(q::execute).isInstanceOfSatisfying(QueryException.class,
          e -> assertThat(e.type()).isEqualTo(QueryException.ErrorType.CANCELED));
    }
  }

  @Test
  void expiredDeadlineFailsWithTimeout() throws InterruptedException {
    Engine engine = Engine.builder().timeout(Duration.ofNanos(1)).build();
    try (Query q = engine.rangeQuery(DATA, "http_requests_total", 0, 60 * 60_000, 60_000)) {
      Thread.sleep(1);
      assertThatThrownBy(q::execute).isInstanceOfSatisfying(QueryException.class,
          e -> assertThat(e.type()).isEqualTo(QueryException.ErrorType.TIMEOUT));
    }
  }

  @Test
  void lookbackDeltaIsConfigurable() {
    InMemoryStorage s = storage("""
        load 1m
          metric 1
        """);
    Engine shortLookback = Engine.builder().lookbackDelta(Duration.ofSeconds(30)).build();
    try (Query q = shortLookback.instantQuery(s, "metric", 60_000)) {
      assertThat(((QueryResult.Vector) q.execute()).samples()).isEmpty();
    }
    try (Query q = Engine.builder().build().instantQuery(s, "metric", 60_000)) {
      assertThat(((QueryResult.Vector) q.execute()).samples()).hasSize(1);
    }
  }

  @Test
  void explainOperatorsShowsThePhysicalTree() {
    Engine engine = Engine.builder().build();
    try (Query q = engine.rangeQuery(DATA, "sum by (job) (rate(http_requests_total[5m])) > 0", 0, 60_000, 60_000)) {
      String tree = q.explainOperators();
      assertThat(tree).startsWith("vectorScalar >");
      assertThat(tree).contains("\n  sum by [job]\n    rate(http_requests_total[5m])\n");
    }
  }

  @Test
  void concurrentEvaluationGivesTheSameResult() throws InterruptedException {
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
    try {
      Engine seq = Engine.builder().build();
      Engine conc = Engine.builder().executor(pool).build();
      String q = "rate(http_requests_total[5m]) / on(instance) rate(http_requests_total[10m]) + http_requests_total";
      QueryResult.Matrix a;
      QueryResult.Matrix b;
      try (Query x = seq.rangeQuery(DATA, q, 0, 90 * 60_000, 60_000)) {
        a = (QueryResult.Matrix) x.execute();
      }
      try (Query x = conc.rangeQuery(DATA, q, 0, 90 * 60_000, 60_000)) {
        assertThat(x.explainOperators()).contains("concurrent(buff=2)");
        b = (QueryResult.Matrix) x.execute();
      }
      assertThat(b.series()).hasSameSizeAs(a.series());
      for (int i = 0; i < a.series().size(); i++) {
        assertThat(b.series().get(i).labels()).isEqualTo(a.series().get(i).labels());
        assertThat(b.series().get(i).floatValues()).containsExactly(a.series().get(i).floatValues());
      }
    } finally {
      pool.shutdownNow();
      pool.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS);
    }
  }

  @Test
  void seriesLimitIsAnExecutionError() {
    Engine engine = Engine.builder().maxSeries(1).build();
    try (Query q = engine.instantQuery(DATA, "http_requests_total", 0)) {
      assertThatThrownBy(q::execute).isInstanceOfSatisfying(QueryException.class,
          e -> assertThat(e.getMessage()).contains("more than 1 series"));
    }
  }

  @Test
  void concurrencyGateQueuesQueriesAndHonoursCancellation() throws Exception {
    java.util.concurrent.CountDownLatch selecting = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    dev.orrery.core.storage.Queryable blocking = (mint, maxt) -> {
      selecting.countDown();
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return DATA.querier(mint, maxt);
    };
    Engine engine = Engine.builder().maxConcurrentQueries(1).build();
    Thread holder = new Thread(() -> {
      try (Query q = engine.instantQuery(blocking, "http_requests_total", 0)) {
        q.execute();
      }
    });
    holder.start();
    selecting.await();
    try (Query waiting = engine.instantQuery(DATA, "http_requests_total", 0)) {
      Thread canceller = new Thread(() -> {
        try {
          Thread.sleep(100);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        waiting.cancel();
      });
      canceller.start();
      assertThatThrownBy(waiting::execute).isInstanceOfSatisfying(QueryException.class, e -> {
        assertThat(e.type()).isEqualTo(QueryException.ErrorType.CANCELED);
        assertThat(e.getMessage()).isEqualTo("query was canceled in queue");
      });
      canceller.join();
    } finally {
      release.countDown();
      holder.join();
    }
    try (Query q = engine.instantQuery(DATA, "http_requests_total", 0)) {
      assertThat(((QueryResult.Vector) q.execute()).samples()).hasSize(2);
    }
  }

  @Test
  void explainShowsTheOptimisedPlan() {
    Engine engine = Engine.builder().build();
    try (Query q = engine.instantQuery(DATA, "sum(http_requests_total{instance=\"0\", job=\"api\"})", 0)) {
      assertThat(q.explain()).isEqualTo("sum(http_requests_total{instance=\"0\",job=\"api\"})");
    }
  }
}
