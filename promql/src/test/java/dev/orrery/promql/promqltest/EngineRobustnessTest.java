package dev.orrery.promql.promqltest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orrery.promql.engine.Engine;
import dev.orrery.promql.engine.Query;
import dev.orrery.promql.engine.QueryException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every expression of the shared test files, over the data it was written for, evaluated at times and with steps the
 * files do not use: the engine answers or fails with a {@link QueryException}, never with anything else.
 */
class EngineRobustnessTest {
  private static final long[] INSTANT_TIMES = {-3_600_000, 0, 1, 59_999, 7 * 60_000 + 1, 3 * 3_600_000};
  private static final long[][] RANGES = {{-600_000, 600_000, 7_000}, {0, 3_600_000, 61_000}, {1, 2, 1}};

  @Test
  void everyTestExpressionEvaluatesOrFailsCleanly() throws IOException {
    Path dir = PromqlTestFilesTest.testDir();
    Engine engine = Engine.builder().maxSamples(1_000_000).build();
    List<String> problems = new ArrayList<>();
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(p -> p.toString().endsWith(".test")).sorted().toList();
    }
    int runs = 0;
    for (Path f : files) {
      InMemoryStorage storage = InMemoryStorage.empty();
      for (TestScript.Command c : TestScript.parse(Files.readString(f)).commands) {
        switch (c) {
          case TestScript.Clear clear -> storage = InMemoryStorage.empty();
          case TestScript.Load load -> storage = storage.plus(load);
          case TestScript.Eval ev -> {
            InMemoryStorage s = storage;
            for (long t : INSTANT_TIMES) {
              runs++;
              check(problems, f, ev, () -> engine.instantQuery(s, ev.expr, t));
            }
            for (long[] r : RANGES) {
              runs++;
              check(problems, f, ev, () -> engine.rangeQuery(s, ev.expr, r[0], r[1], r[2]));
            }
          }
        }
      }
    }
    assertThat(runs).isGreaterThan(10_000);
    assertThat(problems).isEmpty();
  }

  private static void check(List<String> problems, Path f, TestScript.Eval ev,
      java.util.function.Supplier<Query> query) {
    try (Query q = query.get()) {
      q.execute();
    } catch (QueryException e) {
      // A clean failure.
    } catch (RuntimeException | StackOverflowError e) {
      problems.add(f.getFileName() + ":" + ev.line + " " + ev.expr + " -> " + e);
    }
  }
}
