package dev.orrery.promql.parser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orrery.promql.ast.Expr;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every {@code eval} query of {@code shared/promql-tests/*.test} parses, and prints to text that parses to the same
 * tree. Queries with {@code expect fail} may fail to parse or fail later in the engine; they must not fail with
 * anything but {@link PromqlParseException}.
 */
class ParserTestFilesTest {

  @TestFactory
  Stream<DynamicTest> everyEvalQueryParses() throws IOException {
    return SharedTestFiles.evalCases().stream().map(c -> DynamicTest.dynamicTest(c.toString(), () -> {
      if (c.expectFail()) {
        try {
          PromqlParser.parse(c.query());
        } catch (PromqlParseException expected) {
          // a parse failure is one way to fail
        }
        return;
      }
      Expr e = PromqlParser.parse(c.query());
      Expr again = PromqlParser.parse(e.toString());
      assertThat(PositionEraser.erase(again)).as("reparsed %s", e).isEqualTo(PositionEraser.erase(e));
    }));
  }

  @Test
  void allNonFailingQueriesParse() throws IOException {
    List<SharedTestFiles.EvalCase> cases = SharedTestFiles.evalCases();
    List<String> failures = new ArrayList<>();
    for (SharedTestFiles.EvalCase c : cases) {
      try {
        PromqlParser.parse(c.query());
      } catch (PromqlParseException e) {
        if (!c.expectFail()) {
          failures.add(c + "  ->  " + e.getMessage());
        }
      }
    }
    assertThat(cases).hasSizeGreaterThan(2000);
    assertThat(failures).isEmpty();
  }
}
