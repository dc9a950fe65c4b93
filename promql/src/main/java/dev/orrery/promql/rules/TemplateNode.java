package dev.orrery.promql.rules;

import java.util.List;

/**
 * A node of a parsed {@link AlertTemplate}: text, an action that prints a pipeline, or an {@code if}. Positions are
 * offsets into the template text. Immutable.
 */
sealed interface TemplateNode {
  /** Text copied to the output as it is. */
  record Text(String text) implements TemplateNode {}

  /** {@code {{ pipeline }}}: prints the pipeline's value. */
  record Action(TemplateOperand.Pipe pipe) implements TemplateNode {}

  /** {@code {{ if pipeline }} list {{ else }} elseList {{ end }}}; {@code else if} nests an If in elseList. */
  record If(TemplateOperand.Pipe pipe, List<TemplateNode> list, List<TemplateNode> elseList)
      implements TemplateNode {
    public If {
      list = List.copyOf(list);
      elseList = List.copyOf(elseList);
    }
  }
}
