package dev.orrery.downsample.compact;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orrery.core.block.Block;
import dev.orrery.core.block.BlockDirectory;
import dev.orrery.core.block.BlockMeta;
import dev.orrery.core.block.BlockVerifier;
import dev.orrery.core.chunk.SampleIterator;
import dev.orrery.core.chunk.ValueType;
import dev.orrery.core.index.ChunkMetas;
import dev.orrery.core.index.Postings;
import dev.orrery.core.labels.Labels;
import dev.orrery.core.testing.Environment;
import dev.orrery.core.testing.HarnessDataSet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compaction of real blocks: the two 2h blocks that {@code promtool tsdb create-blocks-from openmetrics} makes of the
 * harness data set (3,360 series: counters, gauges, classic histograms) merge into one block that Prometheus' own
 * tools read back sample for sample.
 */
class PromtoolBlocksCompactionTest {
  @TempDir
  Path out;
  /** promtool needs a data directory of its own (with a wal directory): the shared blocks are left untouched. */
  @TempDir
  Path copies;

  @Test
  void promtoolBlocksCompactIntoOneBlockThatPromtoolReadsBackUnchanged() throws Exception {
    Path source = HarnessDataSet.SMALL.promtoolBlocks();
    List<Path> dirs = BlockDirectory.blockDirs(source);
    assertThat(dirs).hasSize(2);

    BlockMeta merged = BlockCompactor.compact(dirs, out).orElseThrow();

    Path mergedDir = out.resolve(merged.ulid().toString());
    assertThat(BlockVerifier.verify(mergedDir).problems()).isEmpty();
    long sourceSamples = 0;
    for (Path d : dirs) {
      sourceSamples += BlockMeta.read(d).stats().numSamples();
    }
    assertThat(merged.stats().numSamples()).isEqualTo(sourceSamples);
    assertThat(merged.compaction().level()).isEqualTo(2);
    assertThat(samplesPerSeries(mergedDir)).isEqualTo(samplesPerSeries(dirs));

    String analyze = Environment.run(300, out, Environment.promtool().toString(), "tsdb", "analyze",
        out.toString(), merged.ulid().toString());
    assertThat(analyze).contains("Block ID: " + merged.ulid()).contains("Series: " + merged.stats().numSeries() + "\n");
    // Ten minutes across the boundary of the two source blocks, dumped from both data directories by promtool.
    long boundary = BlockMeta.read(dirs.get(1)).minTimeMillis();
    Path sourceCopy = Files.createDirectories(copies.resolve("source"));
    for (Path d : dirs) {
      copyTree(d, sourceCopy.resolve(d.getFileName()));
    }
    assertThat(dump(out, boundary)).isEqualTo(dump(sourceCopy, boundary)).hasSizeGreaterThan(50_000);
  }

  /** Per series, a fingerprint of every sample (count and a hash of timestamps and value bits) over the blocks. */
  private static Map<Labels, List<Long>> samplesPerSeries(Path... dirs) throws Exception {
    return samplesPerSeries(List.of(dirs));
  }

  private static Map<Labels, List<Long>> samplesPerSeries(List<Path> dirs) throws Exception {
    Map<Labels, long[]> acc = new HashMap<>();
    for (Path d : dirs) {
      try (Block block = Block.open(d)) {
        ChunkMetas metas = new ChunkMetas();
        for (long ref : Postings.expand(block.index().allPostings())) {
          Labels labels = block.index().series(ref, metas.clear());
          long[] fp = acc.computeIfAbsent(labels, k -> new long[2]);
          SampleIterator it = block.samples(ref, metas);
          while (it.next() == ValueType.FLOAT) {
            fp[0]++;
            fp[1] = fp[1] * 31 + it.atT() * 17 + Double.doubleToRawLongBits(it.atV());
          }
        }
      }
    }
    Map<Labels, List<Long>> out = new HashMap<>();
    acc.forEach((labels, fp) -> out.put(labels, List.of(fp[0], fp[1])));
    return out;
  }

  private static void copyTree(Path from, Path to) throws Exception {
    try (var walk = Files.walk(from)) {
      for (Path p : (Iterable<Path>) walk::iterator) {
        Files.copy(p, to.resolve(from.relativize(p).toString()));
      }
    }
  }

  private static List<String> dump(Path dataDir, long boundary) throws Exception {
    Files.createDirectories(dataDir.resolve("wal"));
    String text = Environment.run(300, dataDir, Environment.promtool().toString(), "tsdb", "dump",
        "--min-time=" + (boundary - 300_000), "--max-time=" + (boundary + 300_000), dataDir.toString());
    return text.lines().filter(l -> !l.isBlank()).sorted().toList();
  }
}
