package dev.orrery.jmh;

import dev.orrery.jmh.PromBenchDataSet.Size;
import dev.orrery.promql.engine.Engine;
import dev.orrery.promql.engine.QueryResult;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Issue 4, acceptance 5: {@code rate(a_X[1m])} as one long range query over {@link PromBenchDataSet} (blocks on disk,
 * 18,640 samples per series at 10 s): the engine's scan throughput through 26 blocks, reported as ms/op and, with the
 * fork's {@code # scanned:} line, ns per sample.
 *
 * <p>With a 1m step the query covers the whole span (3,107 points per series). A 10 s step over the whole span would
 * be 18,640 points, more than the engine's (and Prometheus') limit of {@value Engine#MAX_POINTS_PER_SERIES} per
 * series, so that case covers the last 10,000 steps (Prometheus' own {@code steps: 10000} case; 10,001 points,
 * 53.7 % of the span).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx6g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 3)
public class EngineRateSpanBenchmark extends AbstractEngineBenchmark {
  /** Range queries at 10 s are limited to this many steps. */
  static final int MAX_10S_STEPS = 10_000;

  /** Series per metric: {@code ONE}, {@code HUNDRED} or {@code THOUSAND}. */
  @Param
  public Size size;

  /** Step in seconds: 60 (whole span) or 10 (last 10,000 steps). */
  @Param({"60", "10"})
  public int stepSeconds;

  @Override
  void configure() {
    expr = size.expand("rate(a_X[1m])");
    stepMillis = stepSeconds * 1000L;
    endMillis = PromBenchDataSet.END_MILLIS;
    startMillis = stepSeconds == 10 ? endMillis - MAX_10S_STEPS * stepMillis : 0;
  }

  /** Parses, plans and executes {@code rate(a_X[1m])} over the span. */
  @Benchmark
  public QueryResult rate() {
    return run();
  }
}
