/**
 * The PromQL parser: a hand-written lexer ({@code Lexer}) and a recursive-descent, precedence-climbing parser for
 * the whole grammar of Prometheus 3.x, including the experimental syntax (duration arithmetic, {@code fill}
 * modifiers, {@code anchored}/{@code smoothed}), followed by the type checks Prometheus' parser does.
 *
 * <p>The entry point is {@link dev.orrery.promql.parser.PromqlParser}; every failure is a {@link
 * dev.orrery.promql.parser.PromqlParseException} with a byte position and a message worded as Prometheus words it.
 */
package dev.orrery.promql.parser;
