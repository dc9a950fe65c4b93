package dev.orrery.promql.parser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orrery.promql.ast.Expr;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * The printer and the parser agree: for random type-correct trees, {@code parse(print(ast))} is {@code ast}
 * (positions aside, matchers in the printer's sorted order), and printing is a fixed point.
 */
class ParserRoundTripTest {

  @Property(tries = 3000)
  void parseOfPrintIsTheSameTree(@ForAll Random random) {
    Expr ast = new RandomAst(random).any(4);
    String printed = ast.toString();
    Expr reparsed = PromqlParser.parse(printed);
    assertThat(PositionEraser.erase(reparsed)).as(printed).isEqualTo(PositionEraser.erase(ast));
    assertThat(reparsed.toString()).isEqualTo(printed);
  }
}
