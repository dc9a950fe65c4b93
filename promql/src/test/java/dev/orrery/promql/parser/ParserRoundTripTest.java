package dev.orrery.promql.parser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orrery.promql.ast.Expr;
import dev.orrery.core.testing.Properties;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The printer and the parser agree: for random type-correct trees, {@code parse(print(ast))} is {@code ast}
 * (positions aside, matchers in the printer's sorted order), and printing is a fixed point.
 */
class ParserRoundTripTest {

  @Test
  void parseOfPrintIsTheSameTree() {
    Properties.check("parseOfPrintIsTheSameTree", 3000, r -> {
      Expr ast = new RandomAst(new Random(r.nextLong())).any(4);
      String printed = ast.toString();
      Expr reparsed = PromqlParser.parse(printed);
      assertThat(PositionEraser.erase(reparsed)).as(printed).isEqualTo(PositionEraser.erase(ast));
      assertThat(reparsed.toString()).isEqualTo(printed);
    });
  }
}
