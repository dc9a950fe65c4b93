package dev.orrery.jmh;

import dev.orrery.core.block.BlockDirectory;
import dev.orrery.core.block.BlockSet;
import dev.orrery.core.block.BlockWriter;
import dev.orrery.core.labels.Labels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The data set of Prometheus' {@code BenchmarkRangeQuery} ({@code promql/bench_test.go}), written as real TSDB blocks
 * with core's {@link BlockWriter} and opened as a {@link BlockSet}, the {@link dev.orrery.core.storage.Queryable} the
 * engine benchmarks query.
 *
 * <p>For each {@link Size} {@code X} in {one, hundred, thousand} there are three metrics: counters {@code a_X} and
 * {@code b_X} with {@code X} series (label {@code l="0".."X-1"}; the single {@code a_one}/{@code b_one} series has no
 * {@code l}) and a classic histogram {@code h_X} with 11 {@code le} buckets ({@code "0".."9"}, {@code "+Inf"}) per
 * {@code l}. Every series has {@value #INTERVALS} samples, one every 10 s from time 0 ("a day of data plus 10k
 * steps"), with Prometheus' values {@code s + i / n} (sample {@code s}, series {@code i} of {@code n}): monotonic
 * counters and cumulative bucket counts. In total 14,313 series and 266.8 million samples.
 *
 * <p>Writing that costs tens of seconds, so the blocks are written once (one block per 2h window, epoch-aligned as
 * Prometheus cuts them, one window in memory at a time) into {@code $java.io.tmpdir/orrery-jmh-prombench-v1} (or the
 * directory of system property {@value #DIR_PROPERTY}) and reused by later trials and forks; a {@code COMPLETE} marker
 * written after the last block tells a finished set from one interrupted half-way, which is rewritten. The set is
 * about 0.5 GB: delete the directory to reclaim the space.
 */
public final class PromBenchDataSet {
  /** System property naming the directory the data set is written to and reused from. */
  static final String DIR_PROPERTY = "orrery.jmh.prombench.dir";
  /** Scrape interval: 10 s. */
  static final long INTERVAL_MILLIS = 10_000;
  /** Samples per series: a day (8,640) plus 10,000 steps. */
  static final int INTERVALS = 8_640 + 10_000;
  /** Timestamp of the last sample of every series. */
  static final long END_MILLIS = (INTERVALS - 1) * INTERVAL_MILLIS;
  /** Block range: 2 hours, as Prometheus compacts its head. */
  static final long BLOCK_MILLIS = 2 * 3_600_000L;
  /** Buckets of each {@code h_X} histogram: {@code le="0".."9"} and {@code "+Inf"}. */
  static final List<String> BUCKETS = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "+Inf");

  private static final String VERSION = "v1";

  /** The three sizes of Prometheus' benchmark, by the suffix of their metric names. */
  public enum Size {
    /** {@code a_one}, {@code b_one}: one series without {@code l}; {@code h_one}: 11 buckets. */
    ONE("one", 1),
    /** {@code a_hundred}, {@code b_hundred}: 100 series; {@code h_hundred}: 1,100 buckets. */
    HUNDRED("hundred", 100),
    /** {@code a_thousand}, {@code b_thousand}: 1,000 series; {@code h_thousand}: 11,000 buckets. */
    THOUSAND("thousand", 1_000);

    final String suffix;
    final int series;

    Size(String suffix, int series) {
      this.suffix = suffix;
      this.series = series;
    }

    /** {@code template} with every {@code _X} replaced by this size's suffix: {@code "a_X"} becomes {@code "a_one"}. */
    String expand(String template) {
      return template.replace("_X", "_" + suffix);
    }
  }

  private PromBenchDataSet() {}

  /** The series of the data set, in the order that fixes their values (Prometheus' {@code metrics} slice). */
  static List<Labels> series() {
    List<Labels> out = new ArrayList<>();
    for (Size size : Size.values()) {
      for (int l = 0; l < size.series; l++) {
        String[] extra = size == Size.ONE ? new String[0] : new String[] {"l", Integer.toString(l)};
        out.add(labels("a_" + size.suffix, extra));
        out.add(labels("b_" + size.suffix, extra));
        for (String le : BUCKETS) {
          out.add(labels("h_" + size.suffix, extra, "le", le));
        }
      }
    }
    return out;
  }

  private static Labels labels(String name, String[] extra, String... more) {
    String[] pairs = new String[2 + extra.length + more.length];
    pairs[0] = "__name__";
    pairs[1] = name;
    System.arraycopy(extra, 0, pairs, 2, extra.length);
    System.arraycopy(more, 0, pairs, 2 + extra.length, more.length);
    return Labels.of(pairs);
  }

  /** Writes the data set unless a complete copy is already there, and opens it. The caller closes the set. */
  static BlockSet open() throws IOException {
    Path base = Path.of(System.getProperty(DIR_PROPERTY,
        Path.of(System.getProperty("java.io.tmpdir"), "orrery-jmh-prombench-" + VERSION).toString()));
    Path blocks = base.resolve("blocks");
    Path marker = base.resolve("COMPLETE");
    if (!Files.exists(marker)) {
      BlockDirectory.delete(base);
      Files.createDirectories(blocks);
      long t0 = System.nanoTime();
      long samples = write(blocks);
      Files.writeString(marker, samples + " samples\n");
      System.out.printf("# wrote the prombench data set (%,d samples) to %s in %.1f s%n", samples, blocks,
          (System.nanoTime() - t0) / 1e9);
    }
    return BlockSet.open(blocks);
  }

  /** Writes one block per 2h window into {@code dir}; returns the number of samples written. */
  private static long write(Path dir) throws IOException {
    List<Labels> series = series();
    int n = series.size();
    long total = 0;
    for (long windowStart = 0; windowStart <= END_MILLIS; windowStart += BLOCK_MILLIS) {
      int from = (int) (windowStart / INTERVAL_MILLIS);
      int to = (int) Math.min(INTERVALS, (windowStart + BLOCK_MILLIS) / INTERVAL_MILLIS);
      try (BlockWriter w = BlockWriter.builder(dir).build()) {
        for (int i = 0; i < n; i++) {
          Labels l = series.get(i);
          double offset = (double) i / n;
          for (int s = from; s < to; s++) {
            w.append(l, s * INTERVAL_MILLIS, s + offset);
          }
        }
        w.commit();
      }
      total += (long) n * (to - from);
    }
    return total;
  }
}
