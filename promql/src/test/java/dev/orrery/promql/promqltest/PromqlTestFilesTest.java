package dev.orrery.promql.promqltest;

import static org.junit.jupiter.api.Assertions.fail;

import dev.orrery.core.labels.Labels;
import dev.orrery.promql.engine.Engine;
import dev.orrery.promql.engine.Query;
import dev.orrery.promql.engine.QueryException;
import dev.orrery.promql.engine.QueryResult;
import dev.orrery.promql.engine.Sample;
import dev.orrery.promql.engine.TimeSeries;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs every {@code .test} file of {@code shared/promql-tests} (Prometheus' PromQL test DSL) against the engine, one
 * dynamic test per {@code eval}, checked as Prometheus' {@code promqltest} checks: instant queries also in range mode
 * (one step either side), annotations, failures and ordering. Cases listed in {@code promql-known-failures.txt} may
 * fail; the files Orrery must pass completely may have none listed. Prints a pass/total table per file at the end.
 *
 * <p>The folder comes from {@code ORRERY_SHARED} or {@code ../shared} next to the project root. It missing fails the
 * run under {@code CI=true} and skips it otherwise.
 */
class PromqlTestFilesTest {
  /** Files whose every case must pass (issue #4, acceptance 1). */
  static final List<String> REQUIRED = List.of("aggregators.test", "at_modifier.test", "functions.test",
      "histograms.test", "literals.test", "name_label_dropping.test", "native_histograms.test", "operators.test",
      "range_queries.test", "selectors.test", "trig_functions.test");

  /**
   * Prometheus' test engine: 10,000 max samples, default lookback, 1m subquery step, 100 s timeout, start timestamps
   * in use.
   */
  private static final Engine ENGINE = Engine.builder()
      .maxSamples(10_000)
      .useStartTimestamps(true)
      .timeout(Duration.ofSeconds(100))
      .defaultSubqueryStep(Duration.ofMinutes(1))
      .build();

  /**
   * The same engine with an executor, so binary operations run their operands concurrently; the range-mode check of
   * every instant query uses it, which exercises the concurrent operators against the same expectations.
   */
  private static final java.util.concurrent.ExecutorService POOL = java.util.concurrent.Executors.newFixedThreadPool(2,
      r -> {
        Thread t = new Thread(r, "promql-test-concurrent");
        t.setDaemon(true);
        return t;
      });
  private static final Engine CONCURRENT_ENGINE = ENGINE.newBuilder().executor(POOL).build();

  private static final KnownFailures KNOWN = KnownFailures.load();
  private static final Map<String, int[]> TALLY = new ConcurrentSkipListMap<>();
  private static final Map<String, String> STALE_ENTRIES = new ConcurrentHashMap<>();

  static Path testDir() {
    String env = System.getenv("ORRERY_SHARED");
    List<Path> candidates = new ArrayList<>();
    if (env != null && !env.isEmpty()) {
      candidates.add(Path.of(env).resolve("promql-tests"));
      candidates.add(Path.of(env));
    }
    String root = System.getenv("ORRERY_PROJECT_ROOT");
    Path start = root != null && !root.isEmpty() ? Path.of(root) : Path.of("").toAbsolutePath();
    for (Path p = start.toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.exists(p.resolve("pom.xml")) && Files.isDirectory(p.resolve("core"))) {
        candidates.add(p.resolveSibling("shared").resolve("promql-tests"));
        break;
      }
    }
    for (Path c : candidates) {
      if (Files.isDirectory(c) && Files.exists(c.resolve("literals.test"))) {
        return c;
      }
    }
    String why = "PromQL test files not found (looked in " + candidates + "); set ORRERY_SHARED";
    if ("true".equals(System.getenv("CI"))) {
      fail(why);
    }
    Assumptions.abort(why);
    return null;
  }

  @Test
  void requiredFilesHaveNoKnownFailures() {
    for (String f : REQUIRED) {
      if (KNOWN.countFor(f) > 0) {
        fail(f + " must pass completely, but " + KnownFailures.RESOURCE + " lists " + KNOWN.countFor(f) + " cases");
      }
    }
  }

  @TestFactory
  Stream<DynamicNode> promqlTestFiles() throws IOException {
    Path dir = testDir();
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(p -> p.getFileName().toString().endsWith(".test")).sorted().toList();
    }
    List<DynamicNode> nodes = new ArrayList<>();
    for (Path f : files) {
      nodes.add(fileContainer(f));
    }
    return nodes.stream();
  }

  private static DynamicContainer fileContainer(Path file) throws IOException {
    String name = file.getFileName().toString();
    TALLY.put(name, new int[3]);
    TestScript script = TestScript.parse(Files.readString(file));
    List<DynamicTest> tests = new ArrayList<>();
    InMemoryStorage storage = InMemoryStorage.empty();
    String loadError = null;
    for (TestScript.Command c : script.commands) {
      switch (c) {
        case TestScript.Clear clear -> {
          storage = InMemoryStorage.empty();
          loadError = null;
        }
        case TestScript.Load load -> {
          storage = storage.plus(load);
          if (load.error() != null) {
            loadError = load.error();
          }
        }
        case TestScript.Eval ev -> {
          InMemoryStorage snapshot = storage;
          String pendingLoadError = loadError;
          tests.add(DynamicTest.dynamicTest("line " + ev.line + ": " + ev.expr,
              () -> runCase(name, ev, snapshot, pendingLoadError)));
        }
      }
    }
    return DynamicContainer.dynamicContainer(name, tests);
  }

  private static void runCase(String file, TestScript.Eval ev, InMemoryStorage storage, String loadError) {
    String failure;
    try {
      failure = loadError != null ? "load failed: " + loadError : ev.parseError != null ? ev.parseError
          : ev.range ? runRange(ev, storage) : runInstant(ev, storage);
    } catch (RuntimeException | StackOverflowError e) {
      failure = "unexpected " + e;
      if (!(e instanceof QueryException)) {
        java.io.StringWriter sw = new java.io.StringWriter();
        e.printStackTrace(new java.io.PrintWriter(sw));
        failure += "\n" + sw;
      }
    }
    int[] tally = TALLY.get(file);
    String known = KNOWN.reason(file, ev.line);
    synchronized (tally) {
      if (failure == null) {
        tally[0]++;
      } else if (known != null) {
        tally[1]++;
      } else {
        tally[2]++;
      }
    }
    if (failure == null && known != null) {
      STALE_ENTRIES.put(file + ":" + ev.line, known);
      fail(file + ":" + ev.line + " passes but is listed in " + KnownFailures.RESOURCE + " (" + known
          + "); remove the entry");
    }
    if (failure != null && known == null) {
      fail(file + ":" + ev.line + " " + ev.expr + "\n" + failure);
    }
  }

  private static String runRange(TestScript.Eval ev, InMemoryStorage storage) {
    QueryResult res;
    try (Query q = ENGINE.rangeQuery(storage, ev.expr, ev.startMillis, ev.endMillis, ev.stepMillis)) {
      res = q.execute();
    } catch (QueryException e) {
      if (ev.isFail()) {
        return ResultComparison.checkExpectedFailure(ev, e.getMessage());
      }
      return "error evaluating query \"" + ev.expr + "\": " + e.getMessage();
    }
    if (ev.isFail()) {
      return "expected error evaluating query \"" + ev.expr + "\" but got none";
    }
    String r = ResultComparison.checkAnnotations(ev, ev.expr, res.annotations());
    if (r != null) {
      return r;
    }
    return ResultComparison.compare(ev, res);
  }

  private static String runInstant(TestScript.Eval ev, InMemoryStorage storage) {
    List<AtModifierVariants.Variant> queries = new ArrayList<>();
    queries.add(new AtModifierVariants.Variant(ev.expr, ev.evalMillis));
    queries.addAll(AtModifierVariants.of(ev.expr, ev.evalMillis));
    for (AtModifierVariants.Variant iq : queries) {
      String r = runInstantQuery(ev, storage, iq.expr(), iq.evalMillis());
      if (r != null) {
        return iq.expr().equals(ev.expr) && iq.evalMillis() == ev.evalMillis ? r
            : "with @ modifier variant \"" + iq.expr() + "\" at " + iq.evalMillis() + ": " + r;
      }
    }
    return null;
  }

  private static String runInstantQuery(TestScript.Eval ev, InMemoryStorage storage, String expr, long t) {
    QueryResult res;
    try (Query q = ENGINE.instantQuery(storage, expr, t)) {
      res = q.execute();
    } catch (QueryException e) {
      if (ev.isFail()) {
        return ResultComparison.checkExpectedFailure(ev, e.getMessage());
      }
      return "error evaluating query \"" + expr + "\": " + e.getMessage();
    }
    if (ev.isFail()) {
      return "expected error evaluating query \"" + expr + "\" but got none";
    }
    String r = ResultComparison.checkAnnotations(ev, expr, res.annotations());
    if (r != null) {
      return r;
    }
    r = ResultComparison.compare(ev, res);
    if (r != null) {
      return r;
    }
    if (ev.excludeFromRangeQuery || expr.matches("(?s).*(start|end|range|step)\\(\\).*")) {
      return null;
    }
    QueryResult rangeRes;
    try (Query q = CONCURRENT_ENGINE.rangeQuery(storage, expr, t - 60_000, t + 60_000, 60_000)) {
      rangeRes = q.execute();
    } catch (QueryException e) {
      return "error evaluating query \"" + expr + "\" in range mode: " + e.getMessage();
    }
    if (ev.isOrdered()) {
      return null;
    }
    if (!(rangeRes instanceof QueryResult.Matrix mat)) {
      return "range mode returned " + rangeRes.getClass().getSimpleName();
    }
    String sorted = ResultComparison.assertSorted(mat.series());
    if (sorted != null) {
      return sorted;
    }
    List<Sample> vec = new ArrayList<>();
    for (TimeSeries s : mat.series()) {
      for (int i = 0; i < s.floatTimestamps().length; i++) {
        if (s.floatTimestamps()[i] == t) {
          vec.add(new Sample(s.labels(), t, s.floatValues()[i], null));
          break;
        }
      }
      for (int i = 0; i < s.histogramTimestamps().length; i++) {
        if (s.histogramTimestamps()[i] == t) {
          vec.add(new Sample(s.labels(), t, 0, s.histograms()[i]));
          break;
        }
      }
    }
    QueryResult asInstant = res instanceof QueryResult.Scalar
        ? new QueryResult.Scalar(t, vec.isEmpty() ? Double.NaN : vec.get(0).value(), res.annotations())
        : new QueryResult.Vector(vec, res.annotations());
    r = ResultComparison.compare(ev, asInstant);
    return r == null ? null : "range mode: " + r;
  }

  @AfterAll
  static void printTable() {
    POOL.shutdownNow();
    StringBuilder sb = new StringBuilder("\nPromQL test files (shared/promql-tests)\n");
    sb.append(String.format("%-28s %6s %6s %6s %6s  %s%n", "file", "pass", "known", "fail", "total", "required"));
    int[] sum = new int[3];
    AtomicInteger files = new AtomicInteger();
    TALLY.forEach((f, t) -> {
      files.incrementAndGet();
      int total = t[0] + t[1] + t[2];
      sb.append(String.format("%-28s %6d %6d %6d %6d  %s%n", f, t[0], t[1], t[2], total,
          REQUIRED.contains(f) ? "yes" : "experimental"));
      for (int i = 0; i < 3; i++) {
        sum[i] += t[i];
      }
    });
    sb.append(String.format("%-28s %6d %6d %6d %6d%n", "total (" + files.get() + " files)", sum[0], sum[1], sum[2],
        sum[0] + sum[1] + sum[2]));
    if (!STALE_ENTRIES.isEmpty()) {
      sb.append("known failures that now pass (remove them): ").append(STALE_ENTRIES.keySet()).append('\n');
    }
    // The one place this suite talks to the console: the table is its report.
    System.out.print(sb);
  }

}
