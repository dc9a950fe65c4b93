package dev.orrery.promql.rules;

import java.util.List;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * An operand of a template command: a literal, the dot, a label or value reference, a function name, or a
 * parenthesized pipeline. {@link #goString()} prints it as Go's parse tree does, for the context of execution errors
 * ({@code executing "summary" at <humanize "one">}). Immutable.
 */
sealed interface TemplateOperand {
  /** Offset of the operand in the template text. */
  int pos();

  /** The operand as Go's {@code Node.String()} prints it. */
  String goString();

  /** {@code a | f b | g}: each command's value is the last argument of the next. */
  record Pipe(int pos, List<Command> commands) implements TemplateOperand {
    public Pipe {
      commands = List.copyOf(commands);
    }

    @Override
    public String goString() {
      return commands.stream().map(Command::goString).collect(Collectors.joining(" | "));
    }
  }

  /** A function named as the first word of a command. */
  record Function(int pos, TemplateFunction function) implements TemplateOperand {
    @Override
    public String goString() {
      return function.goName();
    }
  }

  /** {@code .}: the template's data. */
  record Dot(int pos) implements TemplateOperand {
    @Override
    public String goString() {
      return ".";
    }
  }

  /** What a reference reads. */
  enum Source { DATA, LABELS, EXTERNAL_LABELS, VALUE }

  /**
   * A field or variable, resolved when parsed: {@code .Labels.job} and {@code $labels.job} read label {@code job}
   * ({@code key}), {@code .Value} and {@code $value} the value, {@code $} the data.
   */
  record Reference(int pos, String text, Source source, @Nullable String key) implements TemplateOperand {
    @Override
    public String goString() {
      return text;
    }
  }

  /** A string literal; {@code quoted} is its source text. */
  record StringLiteral(int pos, String quoted, String value) implements TemplateOperand {
    @Override
    public String goString() {
      return quoted;
    }
  }

  /** A number literal: an {@code int} ({@link Long}) or a {@code float64} ({@link Double}) as Go types it. */
  record NumberLiteral(int pos, String text, Object value) implements TemplateOperand {
    @Override
    public String goString() {
      return text;
    }
  }

  /** {@code true} or {@code false}. */
  record BoolLiteral(int pos, boolean value) implements TemplateOperand {
    @Override
    public String goString() {
      return Boolean.toString(value);
    }
  }

  /** One command of a pipeline: a function and its arguments, or a single operand. */
  record Command(int pos, List<TemplateOperand> args) {
    public Command {
      args = List.copyOf(args);
    }

    String goString() {
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < args.size(); i++) {
        if (i > 0) {
          sb.append(' ');
        }
        TemplateOperand arg = args.get(i);
        if (arg instanceof Pipe p) {
          sb.append('(').append(p.goString()).append(')');
        } else {
          sb.append(arg.goString());
        }
      }
      return sb.toString();
    }
  }
}
