package dev.orrery.downsample.compact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orrery.core.block.BlockMeta;
import dev.orrery.core.block.BlockWriter;
import dev.orrery.core.block.Ulid;
import dev.orrery.core.chunk.Chunk;
import dev.orrery.core.histogram.FloatHistogram;
import dev.orrery.core.labels.Labels;
import dev.orrery.core.testing.MetricsText;
import dev.orrery.core.testing.NativeHistogramBlocks;
import dev.orrery.objstore.InMemoryBucket;
import dev.orrery.objstore.block.BlockBucket;
import dev.orrery.objstore.block.MetaFetcher;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BucketCompactorTest {
  private static final long H = 3_600_000L;
  private static final Map<String, String> EU = Map.of("cluster", "eu", "environment", "prod");
  private static final Map<String, String> US = Map.of("cluster", "us", "environment", "prod");

  @TempDir
  Path tmp;

  private final MutableClock clock = new MutableClock(Instant.now().plus(Duration.ofHours(1)));
  private InMemoryBucket bucket;
  private BlockBucket blocks;
  /** Twenty days ago, aligned to the 8h level, so that four 2h blocks from here fill one 8h range. */
  private long start;

  @BeforeEach
  void setUp() {
    bucket = new InMemoryBucket("mem", clock);
    blocks = new BlockBucket(bucket, clock);
    start = (clock.millis() - 20 * 24 * H) / (8 * H) * (8 * H);
  }

  @Test
  void compactsFullRangesMarksTheSourcesAndDeletesThemAfterTheDelay() throws Exception {
    List<BlockMeta> eu = new ArrayList<>();
    for (int b = 0; b < 5; b++) {
      eu.add(upload(EU, start + b * 2 * H, start + (b + 1) * 2 * H));
    }
    PrometheusRegistry registry = new PrometheusRegistry();
    BucketCompactor compactor = BucketCompactor.builder(bucket, tmp.resolve("work")).clock(clock)
        .downsampling(false).metrics(registry).build();

    BucketCompactor.Report first = compactor.runOnce();

    assertThat(first.compacted()).isEqualTo(1);
    assertThat(first.markedForDeletion()).isEqualTo(4);
    assertThat(first.deleted()).isZero();
    assertThat(first.halted()).isEmpty();
    SortedMap<Ulid, BlockMeta> visible = visibleMetas();
    BlockMeta merged = visible.values().stream().filter(m -> m.compaction().level() == 2).findFirst().orElseThrow();
    assertThat(merged.minTimeMillis()).isEqualTo(start);
    assertThat(merged.maxTimeMillis()).isEqualTo(start + 8 * H);
    assertThat(merged.compaction().sources()).containsExactlyElementsOf(eu.subList(0, 4).stream()
        .map(BlockMeta::ulid).sorted().toList());
    assertThat(merged.stats().numSamples()).isEqualTo(eu.subList(0, 4).stream()
        .mapToLong(m -> m.stats().numSamples()).sum());
    assertThat(blocks.verify(merged.ulid())).isEmpty();
    for (BlockMeta source : eu.subList(0, 4)) {
      assertThat(blocks.deletionMark(source.ulid())).isNotNull();
    }
    assertThat(blocks.deletionMark(eu.get(4).ulid())).isNull();
    assertThat(Files.exists(tmp.resolve("work"))).isFalse();

    // Nothing left to plan; the marks are younger than the delete delay.
    assertThat(compactor.runOnce()).isEqualTo(new BucketCompactor.Report(0, 0, 0, 0, Map.of()));

    clock.advance(Duration.ofHours(49));
    BucketCompactor.Report later = compactor.runOnce();

    assertThat(later.deleted()).isEqualTo(4);
    for (BlockMeta source : eu.subList(0, 4)) {
      assertThat(bucket.list(source.ulid().toString(), dev.orrery.objstore.IterOptions.RECURSIVE)).isEmpty();
    }
    assertThat(visibleMetas().keySet()).containsExactlyInAnyOrder(merged.ulid(), eu.get(4).ulid());

    String text = MetricsText.of(registry);
    String group = groupLabel(EU);
    assertThat(MetricsText.value(text, "thanos_compact_iterations_total")).isEqualTo(3);
    assertThat(MetricsText.value(text, "thanos_compact_halted")).isZero();
    assertThat(MetricsText.value(text, "thanos_compact_group_compactions_total" + group)).isEqualTo(1);
    assertThat(MetricsText.value(text, "thanos_compact_group_vertical_compactions_total" + group)).isZero();
    assertThat(MetricsText.value(text, "thanos_compact_group_compaction_runs_started_total" + group)).isEqualTo(3);
    assertThat(MetricsText.value(text, "thanos_compact_group_compaction_runs_completed_total" + group)).isEqualTo(3);
    assertThat(MetricsText.value(text, "thanos_compact_blocks_marked_total{marker=\"deletion-mark.json\","
        + "reason=\"compacted\"}")).isEqualTo(4);
    assertThat(MetricsText.value(text, "thanos_compact_blocks_cleaned_total")).isEqualTo(4);
    assertThat(MetricsText.value(text, "thanos_blocks_meta_syncs_total")).isPositive();
  }

  @Test
  void blocksMarkedNoCompactAreNeitherMergedNorMergedAcross() throws Exception {
    List<BlockMeta> eu = new ArrayList<>();
    for (int b = 0; b < 5; b++) {
      eu.add(upload(EU, start + b * 2 * H, start + (b + 1) * 2 * H));
    }
    blocks.markNoCompact(eu.get(1).ulid(), "manual", "kept apart");

    BucketCompactor.Report report = BucketCompactor.builder(bucket, tmp.resolve("work")).clock(clock)
        .downsampling(false).build().runOnce();

    // The 8h range splits at the marked block: 0-2h stays alone, 4-8h is merged.
    assertThat(report.compacted()).isEqualTo(1);
    BlockMeta merged = visibleMetas().values().stream().filter(m -> m.compaction().level() == 2).findFirst()
        .orElseThrow();
    assertThat(merged.compaction().sources()).containsExactlyInAnyOrder(eu.get(2).ulid(), eu.get(3).ulid());
    assertThat(blocks.deletionMark(eu.get(0).ulid())).isNull();
    assertThat(blocks.deletionMark(eu.get(1).ulid())).isNull();
  }

  @Test
  void overlappingBlocksHaltTheirGroupUnlessVerticalCompactionIsOn() throws Exception {
    BlockMeta a = upload(US, start, start + 2 * H);
    BlockMeta b = upload(US, start + H, start + 3 * H);
    upload(EU, start, start + 2 * H);

    PrometheusRegistry haltedRegistry = new PrometheusRegistry();
    BucketCompactor.Report halted = BucketCompactor.builder(bucket, tmp.resolve("work")).clock(clock)
        .downsampling(false).metrics(haltedRegistry).build().runOnce();
    assertThat(MetricsText.value(haltedRegistry, "thanos_compact_halted")).isEqualTo(1);

    assertThat(halted.compacted()).isZero();
    assertThat(halted.halted()).hasSize(1);
    String key = halted.halted().keySet().iterator().next();
    assertThat(key).contains("cluster=\"us\"");
    assertThat(halted.halted().get(key)).contains(a.ulid().toString(), b.ulid().toString());

    PrometheusRegistry mergedRegistry = new PrometheusRegistry();
    BucketCompactor.Report merged = BucketCompactor.builder(bucket, tmp.resolve("work")).clock(clock)
        .downsampling(false).verticalCompaction(true).metrics(mergedRegistry).build().runOnce();
    assertThat(MetricsText.value(mergedRegistry, "thanos_compact_halted")).isZero();
    assertThat(MetricsText.value(mergedRegistry, "thanos_compact_group_vertical_compactions_total" + groupLabel(US)))
        .isEqualTo(1);

    assertThat(merged.compacted()).isEqualTo(1);
    assertThat(merged.halted()).isEmpty();
    BlockMeta out = visibleMetas().values().stream().filter(m -> m.compaction().level() == 2).findFirst()
        .orElseThrow();
    assertThat(out.thanos().labels()).isEqualTo(new java.util.TreeMap<>(US));
    assertThat(out.minTimeMillis()).isEqualTo(start);
    assertThat(out.maxTimeMillis()).isEqualTo(start + 3 * H);
    // One sample per minute over three hours: the hour both blocks hold is counted once.
    assertThat(out.stats().numSamples()).isEqualTo(3 * 60);
  }

  @Test
  void replicaLabelsPutAPairInOneGroupAndDeduplicateIt() throws Exception {
    Map<String, String> a = new java.util.TreeMap<>(EU);
    a.put("prometheus_replica", "a");
    Map<String, String> b = new java.util.TreeMap<>(EU);
    b.put("prometheus_replica", "b");
    upload(a, start, start + 2 * H);
    upload(b, start, start + 2 * H);

    BucketCompactor.Report apart = BucketCompactor.builder(bucket, tmp.resolve("work")).clock(clock)
        .downsampling(false).build().runOnce();
    BucketCompactor.Report together = BucketCompactor.builder(bucket, tmp.resolve("work")).clock(clock)
        .downsampling(false).deduplication(java.util.Set.of("prometheus_replica"),
            BlockCompactor.MergeFunction.PENALTY).build().runOnce();

    assertThat(apart).isEqualTo(new BucketCompactor.Report(0, 0, 0, 0, Map.of()));
    assertThat(together.compacted()).isEqualTo(1);
    assertThat(together.markedForDeletion()).isEqualTo(2);
    BlockMeta merged = visibleMetas().values().stream().filter(m -> m.compaction().level() == 2).findFirst()
        .orElseThrow();
    assertThat(merged.thanos().labels()).isEqualTo(new java.util.TreeMap<>(EU));
    // Both replicas scraped the same timestamps: the deduplicated block holds one replica's 120 samples.
    assertThat(merged.stats().numSamples()).isEqualTo(120);
    assertThatThrownBy(() -> BucketCompactor.builder(bucket, tmp).deduplication(java.util.Set.of(),
        BlockCompactor.MergeFunction.PENALTY)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void downsamplesLongRawBlocksOnceAndAppliesRetentionPerResolution() throws Exception {
    BlockMeta raw = upload(EU, start, start + 48 * H);
    PrometheusRegistry registry = new PrometheusRegistry();
    BucketCompactor compactor = BucketCompactor.builder(bucket, tmp.resolve("work")).clock(clock)
        .retention(new RetentionPolicy(Duration.ofDays(15), Duration.ZERO, Duration.ZERO)).metrics(registry).build();

    BucketCompactor.Report first = compactor.runOnce();

    assertThat(first.downsampled()).isEqualTo(1);
    BlockMeta fiveMinute = visibleMetas().values().stream()
        .filter(m -> m.thanos().downsampleResolutionMillis() == 300_000).findFirst().orElseThrow();
    assertThat(fiveMinute.compaction().sources()).containsExactly(raw.ulid());
    assertThat(blocks.verify(fiveMinute.ulid())).isEmpty();
    // The raw block ended 18 days ago: past the 15 days raw retention; 5m blocks are kept forever.
    assertThat(first.markedForDeletion()).isEqualTo(1);
    assertThat(blocks.deletionMark(raw.ulid()).details()).contains("retention");
    assertThat(blocks.deletionMark(fiveMinute.ulid())).isNull();

    assertThat(compactor.runOnce().downsampled()).isZero();
    assertThat(MetricsText.value(registry, "thanos_compact_downsample_total" + groupLabel(EU)))
        .isEqualTo(1);
    assertThat(MetricsText.value(registry, "thanos_compact_blocks_marked_total{marker=\"deletion-mark.json\","
        + "reason=\"retention\"}")).isEqualTo(1);
  }

  @Test
  void downsamplesBlocksWithNativeHistogramSeries() throws Exception {
    int n = 48 * 60;
    long[] ts = new long[n];
    FloatHistogram[] hs = new FloatHistogram[n];
    for (int i = 0; i < n; i++) {
      ts[i] = start + i * 60_000L;
      hs[i] = NativeHistogramBlocks.counter(i, i, 2 * i, 3 * i);
    }
    Path dir = Files.createDirectories(tmp.resolve("histogram-blocks"));
    TreeMap<Labels, List<Chunk>> series = new TreeMap<>();
    series.put(Labels.of("__name__", "request_duration_seconds", "job", "api"), NativeHistogramBlocks.chunks(ts, hs, n));
    BlockMeta written = NativeHistogramBlocks.write(dir, EU, series);
    Path blockDir = dir.resolve(written.ulid().toString());
    new BlockMeta(written.ulid(), start, start + 48 * H, written.stats(), written.compaction(), written.thanos())
        .write(blockDir);
    BlockMeta raw = blocks.upload(blockDir);

    BucketCompactor.Report report = BucketCompactor.builder(bucket, tmp.resolve("work")).clock(clock).build()
        .runOnce();

    assertThat(report.downsampled()).isEqualTo(1);
    BlockMeta fiveMinute = visibleMetas().values().stream()
        .filter(m -> m.thanos().downsampleResolutionMillis() == 300_000).findFirst().orElseThrow();
    assertThat(fiveMinute.compaction().sources()).containsExactly(raw.ulid());
    assertThat(fiveMinute.stats().numSeries()).isEqualTo(1);
    assertThat(fiveMinute.stats().numSamples()).as("5m windows").isEqualTo(48 * 12);
    assertThat(blocks.verify(fiveMinute.ulid())).isEmpty();
  }

  @Test
  void retentionThatWouldDeleteBlocksBeforeTheyAreDownsampledIsRefused() {
    assertThatThrownBy(() -> BucketCompactor.builder(bucket, tmp).retention(
        new RetentionPolicy(Duration.ofHours(24), Duration.ZERO, Duration.ZERO)).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--retention.resolution-raw");
  }

  /** Writes a block of {@code [from, to)} with one series at one sample a minute, and uploads it. */
  private BlockMeta upload(Map<String, String> labels, long from, long to) throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("blocks"));
    BlockWriter w = BlockWriter.builder(dir).externalLabels(labels).source("sidecar").build();
    for (long t = from; t < to; t += 60_000) {
      w.append(Labels.of("__name__", "up", "job", "api"), t, 1);
    }
    BlockMeta written = w.commit();
    // A head block's range is its aligned range, not [first sample, last sample + 1) as a block writer's.
    Path blockDir = dir.resolve(written.ulid().toString());
    new BlockMeta(written.ulid(), from, to, written.stats(), written.compaction(), written.thanos()).write(blockDir);
    return blocks.upload(blockDir);
  }

  private SortedMap<Ulid, BlockMeta> visibleMetas() throws Exception {
    return MetaFetcher.builder(bucket).build().fetch().metas();
  }

  /** A clock the test moves forward. */
  private static final class MutableClock extends Clock {
    private Instant now;

    MutableClock(Instant now) {
      this.now = now;
    }

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  /** The {@code group} label of the raw compaction group of {@code labels}, as the text format writes it. */
  private static String groupLabel(Map<String, String> labels) {
    return "{group=\"" + CompactionGroup.key(0, new java.util.TreeMap<>(labels)).replace("\"", "\\\"") + "\"}";
  }
}
