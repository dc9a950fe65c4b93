package dev.orrery.jmh;

import dev.orrery.core.block.BlockSet;
import dev.orrery.core.storage.Queryable;
import dev.orrery.promql.engine.Engine;
import dev.orrery.promql.engine.Query;
import dev.orrery.promql.engine.QueryResult;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What the PromQL engine benchmarks share: the {@link PromBenchDataSet} opened as a {@link BlockSet}, an
 * {@link Engine} with Prometheus' defaults (5m lookback, 1m default subquery step, 50M samples limit), and one query
 * that each operation parses, plans and executes in full, as Prometheus' {@code BenchmarkRangeQuery} does with
 * {@code NewRangeQuery} + {@code Exec}.
 *
 * <p>Before the timed part, the query runs once through a {@link CountingQueryable}, and the fork prints a line
 * {@code # scanned: <query> [start,end,step] series=N samples=M result=K} (samples the engine pulled from storage
 * iterators, K result series), so that ms/op can be turned into ns per sample scanned. That run also checks that the
 * query succeeds and returns something.
 *
 * <p>On a shared machine wall time per operation grows with everyone else's load, so after each iteration the fork
 * also prints {@code # cpu: thread=T process=P wall=W ms/op ops=N}: the CPU time of the benchmark thread (the engine
 * evaluates a query on the calling thread) and of the whole JVM (adding GC and JIT threads) per operation, next to
 * the wall time. CPU time is closer to what the engine costs than wall time under load, but not immune to it: shared
 * caches and hyper-threads still raise it (the same whole-span {@code rate(a_hundred[1m])} took 430-540 ms of thread
 * CPU per operation at a load average of 12 on 2 cores, and 256 ms at a load of 4).
 */
@State(Scope.Benchmark)
public abstract class AbstractEngineBenchmark {
  BlockSet blocks;
  Engine engine;
  String expr;
  long startMillis;
  long endMillis;
  /** 0 for an instant query at {@link #endMillis}. */
  long stepMillis;

  private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
  private final com.sun.management.OperatingSystemMXBean os =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
  private long ops;
  private long threadCpuStart;
  private long processCpuStart;
  private long wallStart;

  /** Sets {@link #expr}, {@link #startMillis}, {@link #endMillis} and {@link #stepMillis} from the parameters. */
  abstract void configure();

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    blocks = PromBenchDataSet.open();
    engine = Engine.builder().build();
    configure();
    CountingQueryable counting = new CountingQueryable(blocks);
    int resultSeries = resultSeries(run(counting));
    if (resultSeries == 0) {
      throw new IllegalStateException("empty result: " + expr);
    }
    System.out.printf("%n# scanned: %s [%d,%d,%d] series=%d samples=%d result=%d%n", expr, startMillis, endMillis,
        stepMillis, counting.series(), counting.samples(), resultSeries);
  }

  @Setup(Level.Iteration)
  public void startIteration() {
    ops = 0;
    wallStart = System.nanoTime();
    threadCpuStart = threads.getCurrentThreadCpuTime();
    processCpuStart = os.getProcessCpuTime();
  }

  @TearDown(Level.Iteration)
  public void endIteration() {
    long threadCpu = threads.getCurrentThreadCpuTime() - threadCpuStart;
    long processCpu = os.getProcessCpuTime() - processCpuStart;
    long wall = System.nanoTime() - wallStart;
    double n = Math.max(1, ops) * 1e6;
    System.out.printf(" # cpu: thread=%.4f process=%.4f wall=%.4f ms/op ops=%d%n", threadCpu / n, processCpu / n,
        wall / n, ops);
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    blocks.close();
  }

  /** Parses, plans and executes the query over the block set. */
  QueryResult run() {
    ops++;
    return run(blocks);
  }

  private QueryResult run(Queryable queryable) {
    try (Query q = stepMillis == 0 ? engine.instantQuery(queryable, expr, endMillis)
        : engine.rangeQuery(queryable, expr, startMillis, endMillis, stepMillis)) {
      return q.execute();
    }
  }

  private static int resultSeries(QueryResult r) {
    return switch (r) {
      case QueryResult.Vector v -> v.samples().size();
      case QueryResult.Matrix m -> m.series().size();
      case QueryResult.Scalar s -> 1;
      case QueryResult.StringResult s -> 1;
    };
  }
}
