package dev.orrery.jmh;

import dev.orrery.core.block.BlockDirectory;
import dev.orrery.core.labels.Labels;
import dev.orrery.promql.rules.RuleStorage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the ruler's storage costs per stored sample: one commit of {@value #SERIES} samples (a rule's result, one
 * sample per series) held in memory only, or also logged to the write-ahead log (encoded, snappy-compressed, written to
 * the file; not forced to disk, as Prometheus does not per commit). Each invocation is one evaluation: every series
 * one step later.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RuleStorageBenchmark {
  static final int SERIES = 1_000;

  /** {@code memory}: {@code new RuleStorage()}; {@code wal}: {@link RuleStorage#open}. */
  @Param({"memory", "wal"})
  public String storage;

  private Path dir;
  private RuleStorage target;
  private final Labels[] labels = new Labels[SERIES];
  private long t = 1_700_000_000_000L;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    for (int i = 0; i < SERIES; i++) {
      labels[i] = Labels.of("__name__", "job:http_requests:rate5m", "cluster", "eu-" + (i % 7), "job", "api-" + i);
    }
    dir = Files.createTempDirectory("orrery-rule-storage-bench");
    target = storage.equals("wal") ? RuleStorage.open(dir) : new RuleStorage();
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    target.close();
    BlockDirectory.delete(dir);
  }

  @Benchmark
  @OperationsPerInvocation(SERIES)
  public int commit() throws IOException {
    RuleStorage.Appender a = target.appender();
    t += 15_000;
    for (int i = 0; i < SERIES; i++) {
      a.add(labels[i], t, i * 0.25 + (t % 1000));
    }
    return a.commit();
  }
}
