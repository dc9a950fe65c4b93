package dev.orrery.promql.rules;

import dev.orrery.promql.rules.TemplateNode.Action;
import dev.orrery.promql.rules.TemplateNode.If;
import dev.orrery.promql.rules.TemplateNode.Text;
import dev.orrery.promql.rules.TemplateOperand.BoolLiteral;
import dev.orrery.promql.rules.TemplateOperand.Command;
import dev.orrery.promql.rules.TemplateOperand.Dot;
import dev.orrery.promql.rules.TemplateOperand.Function;
import dev.orrery.promql.rules.TemplateOperand.NumberLiteral;
import dev.orrery.promql.rules.TemplateOperand.Pipe;
import dev.orrery.promql.rules.TemplateOperand.Reference;
import dev.orrery.promql.rules.TemplateOperand.StringLiteral;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One expansion of a parsed template, following Go's {@code text/template/exec.go}: it walks the nodes, evaluates
 * pipelines (a command's value is the last argument of the next), and fails as Go does, naming the position and the
 * node it was at ({@code template: summary:1:3: executing "summary" at <humanize "one">: error calling humanize:
 * ...}). Confined to one thread and used once.
 */
final class TemplateExecution {
  /** An execution error; its message is Go's. */
  static final class ExecutionException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ExecutionException(String message) {
      super(message, null, false, false);
    }
  }

  private final String name;
  private final String text;
  private final TemplateData data;
  private final StringBuilder out = new StringBuilder();
  /** The node being evaluated, for error messages: a {@link TemplateOperand} or a {@link Command}. */
  private Object at;

  TemplateExecution(String name, String text, TemplateData data) {
    this.name = name;
    this.text = text;
    this.data = data;
    this.at = new Dot(0);
  }

  /** Expands {@code nodes}; throws {@link ExecutionException}. */
  String run(List<TemplateNode> nodes) {
    walk(nodes);
    return out.toString();
  }

  private void walk(List<TemplateNode> nodes) {
    for (TemplateNode node : nodes) {
      switch (node) {
        case Text t -> out.append(t.text());
        case Action a -> TemplateValues.appendPrinted(out, evalPipeline(a.pipe()));
        case If i -> walk(TemplateValues.truth(evalPipeline(i.pipe())) ? i.list() : i.elseList());
      }
    }
  }

  private Object evalPipeline(Pipe pipe) {
    at = pipe;
    // The parser rejects empty pipelines.
    List<Command> commands = pipe.commands();
    Object value = evalCommand(commands.getFirst(), null);
    for (Command command : commands.subList(1, commands.size())) {
      value = evalCommand(command, value);
    }
    return value;
  }

  private Object evalCommand(Command command, @Nullable Object piped) {
    TemplateOperand first = command.args().getFirst();
    if (first instanceof Function f) {
      return evalFunction(f, command, piped);
    }
    // The parser allows neither arguments nor a piped value here.
    at = first;
    return evalOperand(first);
  }

  private Object evalOperand(TemplateOperand operand) {
    return switch (operand) {
      case Pipe p -> evalPipeline(p);
      case Function f -> evalFunction(f, new Command(f.pos(), List.of(f)), null);
      case Dot d -> data;
      case Reference r -> resolve(r);
      case StringLiteral s -> s.value();
      case NumberLiteral n -> n.value();
      case BoolLiteral b -> b.value();
    };
  }

  // missingkey=zero: a missing label reads as "".
  private Object resolve(Reference reference) {
    return switch (reference.source()) {
      case DATA -> data;
      case LABELS -> reference.key() == null
          ? data.labels()
          : data.labels().getOrDefault(reference.key(), "");
      case EXTERNAL_LABELS -> reference.key() == null
          ? data.externalLabels()
          : data.externalLabels().getOrDefault(reference.key(), "");
      case VALUE -> data.value();
    };
  }

  private Object evalFunction(Function function, Command command, @Nullable Object piped) {
    at = function;
    TemplateFunction fn = function.function();
    List<TemplateOperand> args = command.args().subList(1, command.args().size());
    if (fn.shortCircuits()) {
      // and/or return the first argument that decides, evaluating no further.
      Object value = null;
      for (TemplateOperand arg : args) {
        value = evalArg(fn, 0, arg);
        if (TemplateValues.truth(value) == (fn == TemplateFunction.OR)) {
          return value;
        }
      }
      return piped != null ? piped : value;
    }
    List<Object> argv = new ArrayList<>(args.size() + 1);
    for (int i = 0; i < args.size(); i++) {
      argv.add(evalArg(fn, i, args.get(i)));
    }
    if (piped != null) {
      argv.add(checkType(piped, fn.stringParameter(argv.size())));
    }
    try {
      return fn.apply(argv);
    } catch (TemplateCallException e) {
      at = command;
      throw error("error calling " + fn.goName() + ": " + e.getMessage());
    }
  }

  private Object evalArg(TemplateFunction fn, int index, TemplateOperand arg) {
    at = arg;
    boolean string = fn.stringParameter(index);
    return switch (arg) {
      case StringLiteral s -> s.value();
      case NumberLiteral n -> {
        if (string) {
          throw error("expected string; found " + n.goString());
        }
        yield n.value();
      }
      case BoolLiteral b -> {
        if (string) {
          throw error("expected string; found " + b.goString());
        }
        yield b.value();
      }
      default -> checkType(evalOperand(arg), string);
    };
  }

  private Object checkType(Object value, boolean string) {
    if (string && !(value instanceof String)) {
      throw error("wrong type for value; expected string; got " + TemplateValues.typeName(value));
    }
    return value;
  }

  // Go's state.errorf with ErrorContext: name:line:byte column, and the node's text cut at 20 runes.
  private ExecutionException error(String message) {
    int pos;
    String context;
    if (at instanceof Command c) {
      pos = c.pos();
      context = c.goString();
    } else {
      TemplateOperand operand = (TemplateOperand) at;
      pos = operand.pos();
      context = operand.goString();
    }
    int lineStart = text.lastIndexOf('\n', pos - 1) + 1;
    int line = 1;
    for (int i = 0; i < lineStart; i++) {
      if (text.charAt(i) == '\n') {
        line++;
      }
    }
    int column = TemplateValues.utf8Length(text.subSequence(lineStart, pos));
    if (context.codePointCount(0, context.length()) > 20) {
      context = context.substring(0, context.offsetByCodePoints(0, 20)) + "...";
    }
    return new ExecutionException("template: " + name + ":" + line + ":" + column + ": executing "
        + GoFormat.quote(name) + " at <" + context + ">: " + message);
  }
}
