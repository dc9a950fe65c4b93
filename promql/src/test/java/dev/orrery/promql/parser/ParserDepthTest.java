package dev.orrery.promql.parser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.orrery.promql.ast.Expr;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The nesting cap: the deepest accepted query of each shape parses, type-checks and prints on a thread with the JVM's
 * default stack size (1 MiB on 64-bit Linux, what HTTP worker threads get), even while the parser still runs
 * interpreted with its larger frames, and one level more is a parse error, never a StackOverflowError.
 */
class ParserDepthTest {
  private static final int MAX = PromqlParser.MAX_NESTING_DEPTH;
  private static final long SMALL_STACK_BYTES = 1024 * 1024;

  static Stream<Arguments> shapes() {
    return Stream.of(
        shape("parentheses", n -> "(".repeat(n / 2) + "1" + ")".repeat(n / 2)),
        shape("unary minus", n -> "-".repeat(n - 1) + "x"),
        shape("function calls", n -> "abs(".repeat(n - 1) + "x" + ")".repeat(n - 1)),
        shape("aggregations", n -> "sum(".repeat(n - 1) + "x" + ")".repeat(n - 1)),
        shape("left-associative chain", n -> "x" + " + x".repeat(n - 1)),
        shape("right-associative power", n -> "2" + " ^ 2".repeat(n - 1)),
        shape("subqueries", n -> "x" + "[1m:]".repeat(n - 1)),
        shape("duration parentheses", n -> "x[" + "(".repeat(n / 2 - 2) + "1m" + ")".repeat(n / 2 - 2) + "]"),
        shape("duration chain", n -> "x[1m" + " + 1m".repeat(n - 4) + "]"),
        shape("offset duration chain", n -> "x offset (1m" + " + 1m".repeat(n - 5) + ")"));
  }

  private static Arguments shape(String name, IntFunction<String> query) {
    return Arguments.of(name, query);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("shapes")
  void deepestAcceptedQueryWorksOnASmallStack(String name, IntFunction<String> query) throws InterruptedException {
    AtomicReference<Throwable> failure = new AtomicReference<>();
    AtomicReference<String> printed = new AtomicReference<>();
    Thread t = new Thread(null, () -> {
      try {
        String q = query.apply(MAX);
        Expr e;
        try {
          e = PromqlParser.parse(q);
        } catch (PromqlParseException typeError) {
          // Subqueries of subqueries are a type error, but only after the whole tree was built and walked.
          assertThat(typeError.reason()).contains("subquery is only allowed on instant vector");
          printed.set("type error");
          return;
        }
        printed.set(e.toString());
      } catch (Throwable x) {
        failure.set(x);
      }
    }, "small-stack", SMALL_STACK_BYTES);
    t.start();
    t.join();
    assertThat(failure.get()).as("%s at depth %d", name, MAX).isNull();
    assertThat(printed.get()).isNotNull();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("shapes")
  void tooDeepIsAParseError(String name, IntFunction<String> query) {
    String q = query.apply(MAX * 3);
    PromqlParseException e = catchThrowableOfType(PromqlParseException.class, () -> PromqlParser.parse(q));
    assertThat(e).as(name).isNotNull();
    assertThat(e.reason()).startsWith("expression nesting is too deep");
  }
}
