package dev.orrery.downsample.compact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orrery.core.OrreryException;
import dev.orrery.core.block.Block;
import dev.orrery.core.block.BlockMeta;
import dev.orrery.core.block.BlockVerifier;
import dev.orrery.core.block.BlockWriter;
import dev.orrery.core.chunk.Chunk;
import dev.orrery.core.chunk.SampleIterator;
import dev.orrery.core.chunk.StaleNaN;
import dev.orrery.core.chunk.ValueType;
import dev.orrery.core.dedup.PenaltySampleIterator;
import dev.orrery.core.histogram.FloatHistogram;
import dev.orrery.core.index.ChunkMetas;
import dev.orrery.core.index.Postings;
import dev.orrery.core.index.Tombstones;
import dev.orrery.core.io.GoFloat;
import dev.orrery.core.labels.Labels;
import dev.orrery.core.testing.Environment;
import dev.orrery.core.testing.NativeHistogramBlocks;
import dev.orrery.downsample.BlockDownsampler;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlockCompactorTest {
  private static final long H = 3_600_000L;
  private static final long START = 1_700_000_000_000L / (2 * H) * (2 * H);
  private static final Map<String, String> EU = Map.of("cluster", "eu", "environment", "prod");

  @TempDir
  Path dir;

  @Test
  void adjacentBlocksMergeIntoOneWithTheirChunksUnchanged() throws Exception {
    SplittableRandom random = new SplittableRandom(5);
    List<BlockMeta> sources = new ArrayList<>();
    Map<Labels, List<Sample>> expected = new TreeMap<>();
    for (int b = 0; b < 3; b++) {
      BlockWriter w = BlockWriter.builder(dir).externalLabels(EU).source("sidecar").build();
      // Series 0-9 in every block, 10-14 only in the middle one: the merge must interleave them in label order.
      int seriesCount = b == 1 ? 15 : 10;
      for (int s = 0; s < seriesCount; s++) {
        Labels labels = Labels.of("__name__", "requests_total", "pod", "pod-" + s);
        double v = 0;
        for (long t = START + b * 2 * H; t < START + (b + 1) * 2 * H; t += 15_000) {
          long ts = t + random.nextInt(25);
          v += random.nextInt(4) == 0 ? 0 : random.nextInt(1, 40) * 0.5;
          double value = s == 3 && t == START + H ? Double.longBitsToDouble(StaleNaN.BITS) : v;
          w.append(labels, ts, value);
          expected.computeIfAbsent(labels, k -> new ArrayList<>()).add(new Sample(ts, value));
        }
      }
      sources.add(w.commit());
    }
    Path out = Files.createDirectories(dir.resolve("out"));

    BlockMeta merged = BlockCompactor.compact(dirsOf(sources), out).orElseThrow();

    assertThat(merged.minTimeMillis()).isEqualTo(sources.get(0).minTimeMillis());
    assertThat(merged.maxTimeMillis()).isEqualTo(sources.get(2).maxTimeMillis());
    assertThat(merged.compaction().level()).isEqualTo(2);
    assertThat(merged.compaction().sources()).containsExactlyElementsOf(sources.stream().map(BlockMeta::ulid)
        .sorted().toList());
    assertThat(merged.compaction().parents()).extracting(BlockMeta.BlockDesc::ulid)
        .containsExactlyElementsOf(sources.stream().map(BlockMeta::ulid).toList());
    assertThat(merged.thanos().labels()).isEqualTo(new TreeMap<>(EU));
    assertThat(merged.thanos().source()).isEqualTo("compactor");
    assertThat(merged.thanos().downsampleResolutionMillis()).isZero();
    assertThat(merged.stats().numSeries()).isEqualTo(15);
    assertThat(merged.stats().numSamples()).isEqualTo(sources.stream().mapToLong(m -> m.stats().numSamples()).sum());
    assertThat(merged.stats().numChunks()).isEqualTo(sources.stream().mapToLong(m -> m.stats().numChunks()).sum());
    assertThat(BlockMeta.read(out.resolve(merged.ulid().toString()))).isEqualTo(merged);
    assertThat(BlockVerifier.verify(out.resolve(merged.ulid().toString())).problems()).isEmpty();
    assertThat(samples(out.resolve(merged.ulid().toString()))).isEqualTo(expected);
    assertThat(chunkBytes(out.resolve(merged.ulid().toString())))
        .isEqualTo(concatenated(sources.stream().map(m -> dir.resolve(m.ulid().toString())).toList()));
    assertThat(promtoolDump(out)).isEqualTo(dumpLines(expected));
  }

  @Test
  void overlappingBlocksMergeSampleBySampleWithTheEarlierBlockWinningTies() throws Exception {
    Labels labels = Labels.of("__name__", "temperature", "room", "a");
    BlockWriter first = BlockWriter.builder(dir).externalLabels(EU).build();
    BlockWriter second = BlockWriter.builder(dir).externalLabels(EU).build();
    TreeMap<Long, Double> expected = new TreeMap<>();
    for (int i = 0; i < 300; i++) {
      long t = START + i * 15_000L;
      first.append(labels, t, i);
      expected.put(t, (double) i);
    }
    // The second block starts later, shares every other timestamp (its values lose) and adds offset samples.
    for (int i = 100; i < 400; i++) {
      long t = START + i * 15_000L + (i % 2 == 0 ? 0 : 7_000);
      second.append(labels, t, -i);
      expected.putIfAbsent(t, (double) -i);
    }
    BlockMeta a = first.commit();
    BlockMeta b = second.commit();
    Path out = Files.createDirectories(dir.resolve("out"));

    BlockMeta merged = BlockCompactor.compact(dirsOf(List.of(b, a)), out).orElseThrow();

    List<Sample> want = new ArrayList<>();
    expected.forEach((t, v) -> want.add(new Sample(t, v)));
    assertThat(samples(out.resolve(merged.ulid().toString()))).isEqualTo(Map.of(labels, want));
    assertThat(merged.stats().numSamples()).isEqualTo(want.size());
    assertThat(merged.stats().numChunks()).isEqualTo((want.size() + 119) / 120);
    assertThat(merged.minTimeMillis()).isEqualTo(a.minTimeMillis());
    assertThat(merged.maxTimeMillis()).isEqualTo(b.maxTimeMillis());
    assertThat(BlockVerifier.verify(out.resolve(merged.ulid().toString())).problems()).isEmpty();
  }

  @Test
  void samplesDeletedByTombstonesAreLeftOutAndAnAllDeletedSetWritesNoBlock() throws Exception {
    Labels labels = Labels.of("__name__", "up", "job", "api");
    List<BlockMeta> sources = new ArrayList<>();
    for (int b = 0; b < 2; b++) {
      BlockWriter w = BlockWriter.builder(dir).externalLabels(EU).build();
      for (long t = START + b * 2 * H; t < START + (b + 1) * 2 * H; t += 60_000) {
        w.append(labels, t, 1);
      }
      sources.add(w.commit());
    }
    Path firstDir = dir.resolve(sources.get(0).ulid().toString());
    long ref = onlySeriesRef(firstDir);
    Tombstones.builder().add(ref, START + H, START + 2 * H).build().write(firstDir.resolve(Tombstones.FILE_NAME));
    Path out = Files.createDirectories(dir.resolve("out"));

    BlockMeta merged = BlockCompactor.compact(dirsOf(sources), out).orElseThrow();

    List<Sample> kept = samples(out.resolve(merged.ulid().toString())).get(labels);
    assertThat(kept).hasSize(60 + 120).allSatisfy(s -> assertThat(s.t() < START + H || s.t() >= START + 2 * H).isTrue());

    for (BlockMeta m : sources) {
      Path d = dir.resolve(m.ulid().toString());
      Tombstones.builder().add(onlySeriesRef(d), Long.MIN_VALUE, Long.MAX_VALUE).build()
          .write(d.resolve(Tombstones.FILE_NAME));
    }
    Path empty = Files.createDirectories(dir.resolve("empty"));
    assertThat(BlockCompactor.compact(dirsOf(sources), empty)).isEqualTo(Optional.empty());
    try (Stream<Path> left = Files.list(empty)) {
      assertThat(left).isEmpty();
    }
  }

  @Test
  void downsampledBlocksKeepTheirAggregateChunksAndRefuseToOverlap() throws Exception {
    Labels labels = Labels.of("__name__", "requests_total", "job", "api");
    List<BlockMeta> fiveMinute = new ArrayList<>();
    List<Path> rawDirs = new ArrayList<>();
    Path raw = Files.createDirectories(dir.resolve("raw"));
    for (int b = 0; b < 2; b++) {
      BlockWriter w = BlockWriter.builder(raw).externalLabels(EU).build();
      for (long t = START + b * 8 * H; t < START + (b + 1) * 8 * H; t += 30_000) {
        w.append(labels, t, t / 1000.0);
      }
      rawDirs.add(raw.resolve(w.commit().ulid().toString()));
      fiveMinute.add(BlockDownsampler.downsample(rawDirs.get(b), dir));
    }
    Path out = Files.createDirectories(dir.resolve("out"));

    BlockMeta merged = BlockCompactor.compact(dirsOf(fiveMinute), out).orElseThrow();

    assertThat(merged.thanos().downsampleResolutionMillis()).isEqualTo(300_000);
    assertThat(merged.stats().numSamples()).isEqualTo(fiveMinute.stream().mapToLong(m -> m.stats().numSamples()).sum());
    assertThat(chunkBytes(out.resolve(merged.ulid().toString())))
        .isEqualTo(concatenated(fiveMinute.stream().map(m -> dir.resolve(m.ulid().toString())).toList()));
    assertThat(BlockVerifier.verify(out.resolve(merged.ulid().toString())).problems()).isEmpty();

    BlockMeta again = BlockDownsampler.downsample(rawDirs.get(0), dir);
    assertThatThrownBy(() -> BlockCompactor.compact(dirsOf(List.of(fiveMinute.get(0), again)), out))
        .isInstanceOf(OrreryException.class).hasMessageContaining("encoding 255")
        .hasMessageContaining(labels.toString());
  }

  @Test
  void replicasOfAPairCompactIntoOneBlockChainedOrDeduplicatedByPenalty() throws Exception {
    Labels labels = Labels.of("__name__", "requests_total", "job", "api");
    SplittableRandom random = new SplittableRandom(9);
    List<BlockMeta> replicas = new ArrayList<>();
    for (String replica : List.of("a", "b")) {
      Map<String, String> external = new TreeMap<>(EU);
      external.put("prometheus_replica", replica);
      BlockWriter w = BlockWriter.builder(dir).externalLabels(external).build();
      long offset = replica.equals("a") ? 0 : 5_000;
      for (long t = START; t < START + 2 * H; t += 15_000) {
        // Replica a misses ten minutes of scrapes: the penalty merge fills them from b.
        if (replica.equals("a") && t >= START + H && t < START + H + 600_000) {
          continue;
        }
        w.append(labels, t + offset + random.nextInt(25), (t - START) / 15_000.0);
      }
      replicas.add(w.commit());
    }
    List<Path> dirs = dirsOf(replicas);
    Set<String> replicaLabels = Set.of("prometheus_replica");
    List<Sample> a = samples(dirs.get(0)).get(labels);
    List<Sample> b = samples(dirs.get(1)).get(labels);

    BlockMeta penalty = BlockCompactor.compact(dirs, Files.createDirectories(dir.resolve("penalty")), replicaLabels,
        BlockCompactor.MergeFunction.PENALTY).orElseThrow();
    BlockMeta chain = BlockCompactor.compact(dirs, Files.createDirectories(dir.resolve("chain")), replicaLabels,
        BlockCompactor.MergeFunction.CHAIN).orElseThrow();

    assertThat(penalty.thanos().labels()).isEqualTo(new TreeMap<>(EU));
    List<Sample> deduplicated = samples(dir.resolve("penalty").resolve(penalty.ulid().toString())).get(labels);
    List<Sample> expected = new ArrayList<>();
    try (Block ba = Block.open(dirs.get(0)); Block bb = Block.open(dirs.get(1))) {
      SampleIterator it = PenaltySampleIterator.merge(List.of(allSamples(ba), allSamples(bb)), false);
      while (it.next() == ValueType.FLOAT) {
        expected.add(new Sample(it.atT(), it.atV()));
      }
    }
    assertThat(deduplicated).isEqualTo(expected);
    assertThat(deduplicated.size()).isBetween(a.size() + 30, a.size() + 50);
    assertThat(samples(dir.resolve("chain").resolve(chain.ulid().toString())).get(labels))
        .hasSize(a.size() + b.size());
    assertThatThrownBy(() -> BlockCompactor.compact(dirs, dir)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("different compaction groups");
  }

  @Test
  void overlappingNativeHistogramSeriesMergeIntoHistogramChunks() throws Exception {
    Labels labels = Labels.of("__name__", "request_duration_seconds", "job", "api");
    // The first block holds samples 0..299, the second 150..449 with the same values: the result holds 0..449 once;
    // a counter reset at 400 and a fourth bucket from 200 on make the writer cut chunks there.
    long[] ts = new long[450];
    FloatHistogram[] hs = new FloatHistogram[450];
    for (int i = 0; i < 450; i++) {
      ts[i] = START + i * 15_000L;
      int since = i >= 400 ? i - 400 : i;
      hs[i] = i < 200 ? NativeHistogramBlocks.counter(i, since, 2 * since, 3 * since)
          : NativeHistogramBlocks.counter(i, since, 2 * since, 3 * since, since);
    }
    BlockMeta a = histogramBlock(labels, ts, hs, 0, 300);
    BlockMeta b = histogramBlock(labels, ts, hs, 150, 450);
    Path out = Files.createDirectories(dir.resolve("out"));

    BlockMeta merged = BlockCompactor.compact(dirsOf(List.of(a, b)), out).orElseThrow();

    Path mergedDir = out.resolve(merged.ulid().toString());
    assertThat(BlockVerifier.verify(mergedDir).problems()).isEmpty();
    assertThat(merged.stats().numSamples()).isEqualTo(450);
    try (Block block = Block.open(mergedDir)) {
      SampleIterator it = allSamples(block);
      int i = 0;
      for (ValueType type = it.next(); type != ValueType.NONE; type = it.next(), i++) {
        assertThat(type).isEqualTo(ValueType.FLOAT_HISTOGRAM);
        assertThat(it.atT()).isEqualTo(ts[i]);
        FloatHistogram h = it.atFloatHistogram();
        assertThat(h.count()).as("count at %d", i).isEqualTo(hs[i].count());
        assertThat(h.positiveBuckets()).as("buckets at %d", i).containsExactly(hs[i].positiveBuckets());
      }
      assertThat(i).isEqualTo(450);
      ChunkMetas metas = new ChunkMetas();
      block.index().series(Postings.expand(block.index().allPostings())[0], metas);
      // Cut at 120 samples, at the new bucket (200) and at the reset (400).
      List<Long> starts = new ArrayList<>();
      for (int c = 0; c < metas.size(); c++) {
        starts.add(metas.minTime(c));
      }
      assertThat(starts).contains(ts[0], ts[120], ts[200], ts[320], ts[400]);
    }
  }

  private BlockMeta histogramBlock(Labels labels, long[] ts, FloatHistogram[] hs, int from, int to) throws Exception {
    long[] t = Arrays.copyOfRange(ts, from, to);
    FloatHistogram[] h = Arrays.copyOfRange(hs, from, to);
    TreeMap<Labels, List<Chunk>> series = new TreeMap<>();
    series.put(labels, NativeHistogramBlocks.chunks(t, h, t.length));
    return NativeHistogramBlocks.write(dir, EU, series);
  }

  @Test
  void blocksOfDifferentGroupsAreRefused() throws Exception {
    Labels labels = Labels.of("__name__", "up");
    BlockWriter eu = BlockWriter.builder(dir).externalLabels(EU).build();
    BlockWriter us = BlockWriter.builder(dir).externalLabels(Map.of("cluster", "us", "environment", "prod")).build();
    eu.append(labels, START, 1);
    us.append(labels, START + 2 * H, 1);
    List<Path> dirs = dirsOf(List.of(eu.commit(), us.commit()));

    assertThatThrownBy(() -> BlockCompactor.compact(dirs, dir)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("different compaction groups").hasMessageContaining("cluster=us");
    assertThatThrownBy(() -> BlockCompactor.compact(dirs.subList(0, 1), dir))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private record Sample(long t, long bits) {
    Sample(long t, double v) {
      this(t, Double.doubleToRawLongBits(v));
    }
  }

  private List<Path> dirsOf(List<BlockMeta> metas) {
    return metas.stream().map(m -> dir.resolve(m.ulid().toString())).toList();
  }

  /** The samples of a block's only series. */
  private static SampleIterator allSamples(Block block) {
    long ref = Postings.expand(block.index().allPostings())[0];
    ChunkMetas metas = new ChunkMetas();
    block.index().series(ref, metas);
    return block.samples(ref, metas);
  }

  private static long onlySeriesRef(Path blockDir) throws Exception {
    try (Block block = Block.open(blockDir)) {
      long[] refs = Postings.expand(block.index().allPostings());
      assertThat(refs).hasSize(1);
      return refs[0];
    }
  }

  /** Every sample of every series, through {@link Block#samples}. */
  private static Map<Labels, List<Sample>> samples(Path blockDir) throws Exception {
    Map<Labels, List<Sample>> out = new TreeMap<>();
    try (Block block = Block.open(blockDir)) {
      for (long ref : Postings.expand(block.index().allPostings())) {
        ChunkMetas metas = new ChunkMetas();
        Labels labels = block.index().series(ref, metas);
        List<Sample> list = new ArrayList<>();
        SampleIterator it = block.samples(ref, metas);
        while (it.next() == ValueType.FLOAT) {
          list.add(new Sample(it.atT(), Double.doubleToRawLongBits(it.atV())));
        }
        out.put(labels, list);
      }
    }
    return out;
  }

  /** Each series' chunks as encoding byte and data, in order. */
  private static Map<Labels, List<String>> chunkBytes(Path blockDir) throws Exception {
    Map<Labels, List<String>> out = new TreeMap<>();
    try (Block block = Block.open(blockDir)) {
      for (long ref : Postings.expand(block.index().allPostings())) {
        ChunkMetas metas = new ChunkMetas();
        Labels labels = block.index().series(ref, metas);
        List<String> chunks = new ArrayList<>();
        for (int i = 0; i < metas.size(); i++) {
          var raw = block.chunks().rawChunk(metas.ref(i));
          ByteBuffer data = raw.data();
          byte[] bytes = new byte[data.remaining()];
          data.duplicate().get(bytes);
          chunks.add(raw.encoding() + ":" + metas.minTime(i) + "-" + metas.maxTime(i) + ":"
              + HexFormat.of().formatHex(bytes));
        }
        out.put(labels, chunks);
      }
    }
    return out;
  }

  private static Map<Labels, List<String>> concatenated(List<Path> blockDirs) throws Exception {
    Map<Labels, List<String>> out = new TreeMap<>();
    for (Path d : blockDirs) {
      chunkBytes(d).forEach((labels, chunks) -> out.computeIfAbsent(labels, k -> new ArrayList<>()).addAll(chunks));
    }
    return out;
  }

  /** {@code promtool tsdb dump} over a data directory holding just the merged block. */
  private static List<String> promtoolDump(Path dataDir) throws Exception {
    Files.createDirectories(dataDir.resolve("wal"));
    String out = Environment.run(120, dataDir, Environment.promtool().toString(), "tsdb", "dump",
        dataDir.toString());
    return out.lines().filter(l -> !l.isBlank()).sorted().toList();
  }

  private static List<String> dumpLines(Map<Labels, List<Sample>> expected) {
    List<String> lines = new ArrayList<>();
    expected.forEach((labels, list) -> list.forEach(s -> lines.add(labels + " "
        + GoFloat.formatG(Double.longBitsToDouble(s.bits())) + " " + s.t())));
    lines.sort(null);
    return lines;
  }
}
