package dev.orrery.jmh;

import dev.orrery.core.block.BlockDirectory;
import dev.orrery.core.block.BlockMeta;
import dev.orrery.core.block.BlockWriter;
import dev.orrery.core.labels.Labels;
import dev.orrery.downsample.compact.BlockCompactor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
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
 * Block compaction, ns per input sample: {@value #SERIES} counter series at 15 s with 0-24 ms jitter, in two blocks.
 * {@code adjacent}: two consecutive 2h blocks, whose chunks are copied; {@code replicas}: two replicas of the same 2h
 * (scraped 5 s apart), merged vertically (penalty deduplication, or the chained merge that keeps both) and
 * re-encoded. Each invocation writes a
 * whole block (index, chunks, meta) to a temporary directory on disk.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class CompactionBenchmark {
  static final int SERIES = 2_000;
  static final int SAMPLES_PER_BLOCK = 480;
  static final long TWO_HOURS = 7_200_000L;
  static final long START = 1_700_006_400_000L;

  /** How {@code replicas} merges the two replicas. */
  @Param({"PENALTY", "CHAIN"})
  public BlockCompactor.MergeFunction merge;

  private Path dir;
  private List<Path> adjacent;
  private List<Path> replicas;
  private Path out;

  @Setup
  public void setUp() throws IOException {
    dir = Files.createTempDirectory("orrery-compaction-bench");
    adjacent = List.of(write("a", START, 0), write("a", START + TWO_HOURS, 0));
    replicas = List.of(write("a", START, 0), write("b", START, 5_000));
  }

  private Path write(String replica, long start, long offset) throws IOException {
    SplittableRandom random = new SplittableRandom(start + offset);
    BlockWriter w = BlockWriter.builder(dir).externalLabels(Map.of("cluster", "eu", "replica", replica)).build();
    for (int s = 0; s < SERIES; s++) {
      Labels labels = Labels.of("__name__", "http_requests_total", "instance", "pod-" + s, "job", "api");
      double v = 0;
      for (int i = 0; i < SAMPLES_PER_BLOCK; i++) {
        v += random.nextInt(4) == 0 ? 0 : random.nextInt(1, 40) * 0.5;
        w.append(labels, start + offset + i * 15_000L + random.nextInt(25), v);
      }
    }
    BlockMeta meta = w.commit();
    return dir.resolve(meta.ulid().toString());
  }

  @Setup(Level.Invocation)
  public void freshOutput() throws IOException {
    out = Files.createTempDirectory(dir, "out");
  }

  @TearDown(Level.Invocation)
  public void dropOutput() throws IOException {
    BlockDirectory.delete(out);
  }

  @TearDown
  public void tearDown() throws IOException {
    BlockDirectory.delete(dir);
  }

  @Benchmark
  @OperationsPerInvocation(2 * SERIES * SAMPLES_PER_BLOCK)
  public Object adjacent() throws IOException {
    return BlockCompactor.compact(adjacent, out);
  }

  @Benchmark
  @OperationsPerInvocation(2 * SERIES * SAMPLES_PER_BLOCK)
  public Object replicas() throws IOException {
    return BlockCompactor.compact(replicas, out, Set.of("replica"), merge);
  }
}
