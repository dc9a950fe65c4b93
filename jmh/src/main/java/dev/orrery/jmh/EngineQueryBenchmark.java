package dev.orrery.jmh;

import dev.orrery.jmh.PromBenchDataSet.Size;
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
 * Issue 4, acceptance 5: the PromQL engine on the query shapes of Prometheus' {@code BenchmarkRangeQuery}, over its
 * data set ({@link PromBenchDataSet}: {@code a_X}, {@code b_X}, {@code h_X} for 1, 100 and 1,000 series, 18,640
 * samples each at 10 s, read from blocks on disk). One operation = parse + plan + execute one query, result fully
 * materialised.
 *
 * <p>{@link #steps} = 0 is an instant query at the end of the data; otherwise a range query of {@code steps + 1} points
 * at 10 s ending there, as Prometheus runs each case ({@code start = (18640 - steps) * 10s}, {@code end = 18640 *
 * 10s}). Prometheus also runs 100 steps: add {@code -p steps=0,100,1000}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx6g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 3)
public class EngineQueryBenchmark extends AbstractEngineBenchmark {

  /** The query shapes; {@code _X} stands for the size's suffix. */
  public enum Shape {
    /** A plain vector selector: lookback per series per step. */
    SELECT("a_X"),
    /** {@code rate} over a 1m window (6 samples). */
    RATE("rate(a_X[1m])"),
    /** Aggregation of all series into one. */
    SUM("sum(a_X)"),
    /** Aggregation of the 11·X histogram buckets by {@code le} into 11 series. */
    SUM_BY_LE("sum by (le)(h_X)"),
    /** Aggregation of the histogram buckets without {@code l} (again 11 series, grouping by dropping a label). */
    SUM_WITHOUT_L("sum without (l)(h_X)"),
    /** The classic-histogram quantile of 5m bucket rates: 11·X range-function series grouped into X quantiles. */
    HISTOGRAM_QUANTILE("histogram_quantile(0.9, rate(h_X[5m]))"),
    /** {@code topk} keeping one series of X. */
    TOPK("topk(1, a_X)"),
    /** A one-to-one binary operation matched on all labels but the name. */
    MINUS("a_X - b_X"),
    /**
     * A one-to-one match with {@code group_left} on {@code l} (Prometheus' own case, {@code a_X + on(l) group_right
     * a_one}, joins X series against one that has no {@code l} and so matches nothing for X > 1).
     */
    GROUP_LEFT("a_X + on(l) group_left b_X"),
    /**
     * A subquery: {@code rate(a_X[1m])[5m:1m]} evaluated at 6 inner steps per outer step; wrapped in
     * {@code max_over_time} so that range queries accept it.
     */
    SUBQUERY("max_over_time(rate(a_X[1m])[5m:1m])"),
    /**
     * {@code count_values} over the histogram buckets. Every value is distinct (and grows every step), so an instant
     * query returns 11·X series and a range query 11·X·(steps + 1) series of one point each: 11 million for
     * {@code h_thousand} at 1,000 steps, about a minute per operation. Prometheus runs this case with 100 steps only.
     */
    COUNT_VALUES("count_values('value', h_X)"),
    /** {@code label_replace} copying {@code l} into a new label (a regex match and a new label set per series). */
    LABEL_REPLACE("label_replace(a_X, 'l2', '$1', 'l', '(.*)')");

    final String template;

    Shape(String template) {
      this.template = template;
    }
  }

  /** Series per metric: {@code ONE}, {@code HUNDRED} or {@code THOUSAND}. */
  @Param
  public Size size;

  /** The query. */
  @Param
  public Shape shape;

  /** 0 for an instant query, else the number of 10 s steps of the range query. */
  @Param({"0", "1000"})
  public int steps;

  @Override
  void configure() {
    expr = size.expand(shape.template);
    endMillis = PromBenchDataSet.INTERVALS * PromBenchDataSet.INTERVAL_MILLIS;
    startMillis = endMillis - steps * PromBenchDataSet.INTERVAL_MILLIS;
    stepMillis = steps == 0 ? 0 : PromBenchDataSet.INTERVAL_MILLIS;
  }

  /** Parses, plans and executes the query. */
  @Benchmark
  public QueryResult query() {
    return run();
  }
}
