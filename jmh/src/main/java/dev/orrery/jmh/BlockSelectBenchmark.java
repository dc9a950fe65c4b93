package dev.orrery.jmh;

import dev.orrery.core.block.Block;
import dev.orrery.core.block.BlockWriter;
import dev.orrery.core.chunk.SampleIterator;
import dev.orrery.core.chunk.ValueType;
import dev.orrery.core.labels.Labels;
import dev.orrery.core.labels.Matcher;
import dev.orrery.core.storage.Querier;
import dev.orrery.core.storage.SeriesSet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Selecting 10,000 series (of 20,000) from one 2h block: postings lookup, series entries, and optionally decoding every
 * sample (240 per series at 15 s, two XOR chunks each).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class BlockSelectBenchmark {
  static final int SERIES = 20_000;
  static final int SAMPLES = 240;

  Path dir;
  Block block;

  @Setup(Level.Trial)
  public void writeBlock() throws IOException {
    dir = Files.createTempDirectory("orrery-jmh-block");
    SplittableRandom r = new SplittableRandom(1);
    try (BlockWriter w = BlockWriter.builder(dir).build()) {
      for (int s = 0; s < SERIES; s++) {
        Labels l = Labels.of("__name__", s % 2 == 0 ? "http_requests_total" : "node_memory_bytes", "job",
            "job-" + (s % 20), "instance", "host-" + s / 2, "cluster", "c" + (s % 4));
        double v = r.nextInt(1000);
        for (int i = 0; i < SAMPLES; i++) {
          v += s % 2 == 0 ? r.nextInt(50) : (r.nextInt(200) - 100) / 10.0;
          w.append(l, 1704067200000L + i * 15_000L + r.nextInt(25), v);
        }
      }
      block = Block.open(dir.resolve(w.commit().ulid().toString()));
    }
  }

  @TearDown(Level.Trial)
  public void close() throws IOException {
    block.close();
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
        Files.delete(p);
      }
    }
  }

  /** Postings for {@code __name__="http_requests_total"} and every matching series' labels and chunk metas. */
  @Benchmark
  public int select10kSeries(Blackhole bh) {
    int n = 0;
    try (Querier q = block.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
      SeriesSet set = q.select(true, null, Matcher.equal("__name__", "http_requests_total"));
      while (set.next()) {
        bh.consume(set.at().labels());
        n++;
      }
    }
    return n;
  }

  /** The same selection plus decoding every sample (2.4M samples). */
  @Benchmark
  public long select10kSeriesAndDecode() {
    long sum = 0;
    try (Querier q = block.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
      SeriesSet set = q.select(true, null, Matcher.equal("__name__", "http_requests_total"),
          Matcher.regex("cluster", "c0|c2"), Matcher.notEqual("job", "job-3"));
      SampleIterator it = null;
      while (set.next()) {
        it = set.at().iterator(it);
        for (ValueType vt = it.next(); vt != ValueType.NONE; vt = it.next()) {
          sum += it.atT();
        }
      }
    }
    return sum;
  }
}
