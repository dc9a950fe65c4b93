package dev.orrery.downsample.compact;

import static java.util.Objects.requireNonNull;

import dev.orrery.core.block.BlockDirectory;
import dev.orrery.core.block.BlockMeta;
import dev.orrery.core.block.BlockVerifier;
import dev.orrery.core.block.Ulid;
import dev.orrery.downsample.BlockDownsampler;
import dev.orrery.objstore.Bucket;
import dev.orrery.objstore.block.BlockBucket;
import dev.orrery.objstore.block.ConsistencyDelayFilter;
import dev.orrery.objstore.block.DeduplicateFilter;
import dev.orrery.objstore.block.DeletionMark;
import dev.orrery.objstore.block.DeletionMarkFilter;
import dev.orrery.objstore.block.MetaFetcher;
import dev.orrery.objstore.block.NoCompactMarkFilter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Executor;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The compactor over a Thanos bucket (ARCHITECTURE.md step 5, FORMATS.md 6.3-6.6, 7.6). One {@link #runOnce() run}:
 *
 * <ol>
 *   <li>reads the blocks' metas, leaving out blocks younger than the consistency delay and blocks marked for
 *       deletion more than half the delete delay ago, and marks for deletion the blocks whose sources another block
 *       of their resolution already holds (the parents that an earlier run compacted);
 *   <li>compacts each group (same external labels and resolution) as its {@link CompactionPlanner} says, until the
 *       planner finds nothing more: downloads the planned blocks, merges them ({@link BlockCompactor}), verifies and
 *       uploads the result, and marks the planned blocks for deletion. Overlapping blocks are merged only with
 *       vertical compaction on; without it the group is halted and reported, and the other groups go on. With
 *       replica labels the replicas of a Prometheus pair form one group and are deduplicated as they merge;
 *   <li>when downsampling is on, downsamples raw blocks of at least 40 h to 5m, then 5m blocks of at least 10 days to
 *       1h ({@link DownsamplePlanner}), skipping blocks with {@code no-downsample-mark.json};
 *   <li>marks the blocks past their resolution's retention for deletion;
 *   <li>deletes the blocks whose deletion mark is older than the delete delay, and partial uploads abandoned for
 *       more than two days.
 * </ol>
 *
 * <p>Blocks are worked on in a local directory that each run clears first. Not thread-safe: one compactor per bucket,
 * as in Thanos.
 */
public final class BucketCompactor {
  private static final Logger LOG = LoggerFactory.getLogger(BucketCompactor.class);
  /** Thanos' {@code PartialUploadThresholdAge}: a block directory without meta.json this old is abandoned. */
  public static final Duration PARTIAL_UPLOAD_AGE = Duration.ofDays(2);
  private static final String NO_DOWNSAMPLE_MARK = "no-downsample-mark.json";

  private final Bucket bucket;
  private final BlockBucket blocks;
  private final Path workDir;
  private final Clock clock;
  private final CompactionPlanner planner;
  private final boolean verticalCompaction;
  private final Set<String> replicaLabels;
  private final BlockCompactor.MergeFunction mergeFunction;
  private final boolean downsampling;
  private final RetentionPolicy retention;
  private final Duration deleteDelay;
  private final MetaFetcher fetcher;
  private final DeletionMarkFilter deletionMarks;
  private final NoCompactMarkFilter noCompactMarks;
  private final CompactorMetrics metrics;

  private BucketCompactor(Builder b) {
    this.bucket = b.bucket;
    this.workDir = b.workDir;
    this.clock = b.clock;
    this.planner = b.planner;
    this.verticalCompaction = b.verticalCompaction || !b.replicaLabels.isEmpty();
    this.replicaLabels = b.replicaLabels;
    this.mergeFunction = b.mergeFunction;
    this.downsampling = b.downsampling;
    this.retention = b.retention;
    this.deleteDelay = b.deleteDelay;
    this.blocks = new BlockBucket(bucket, clock);
    MetaFetcher markReader = MetaFetcher.builder(bucket).executor(b.executor).build();
    this.deletionMarks = new DeletionMarkFilter(blocks, markReader, deleteDelay.dividedBy(2), clock);
    this.noCompactMarks = new NoCompactMarkFilter(blocks, markReader);
    MetaFetcher.Builder fetcherBuilder = MetaFetcher.builder(bucket).executor(b.executor).clock(clock)
        .filter(new ConsistencyDelayFilter(b.consistencyDelay, clock)).filter(deletionMarks)
        .filter(new DeduplicateFilter()).filter(noCompactMarks);
    if (b.metricsRegistry != null) {
      fetcherBuilder.metrics(b.metricsRegistry);
    }
    this.fetcher = fetcherBuilder.build();
    this.metrics = new CompactorMetrics(b.metricsRegistry);
  }

  /**
   * A builder over {@code bucket} (not owned by the compactor), working in {@code workDir}.
   *
   * @throws NullPointerException if an argument is null
   */
  public static Builder builder(Bucket bucket, Path workDir) {
    return new Builder(bucket, workDir);
  }

  /**
   * What one run did.
   *
   * @param compacted blocks written by compaction
   * @param downsampled blocks written by downsampling
   * @param markedForDeletion blocks marked: compacted parents, duplicates and blocks past retention
   * @param deleted blocks deleted after the delete delay, and abandoned partial uploads
   * @param halted groups left as they are, with the reason (overlapping blocks without vertical compaction)
   */
  public record Report(int compacted, int downsampled, int markedForDeletion, int deleted,
      Map<String, String> halted) {
    /** Copies the map. */
    public Report {
      halted = Map.copyOf(halted);
    }
  }

  /**
   * Compacts, downsamples, applies retention and deletes, once.
   *
   * @throws IOException if the bucket or the work directory fails; work finished before stays done (blocks are
   *     uploaded before their sources are marked, so a failure never loses data)
   */
  public Report runOnce() throws IOException {
    BlockDirectory.delete(workDir);
    Files.createDirectories(workDir);
    Counts counts = new Counts();
    MetaFetcher.FetchResult fetched = fetch(counts);
    for (CompactionGroup group : CompactionGroup.of(withoutReplicaLabels(fetched.metas().values()))) {
      metrics.runsStarted.labelValues(group.key()).inc();
      try {
        compactGroup(group, counts);
      } catch (IOException | RuntimeException e) {
        metrics.compactionFailures.labelValues(group.key()).inc();
        throw e;
      }
      metrics.runsCompleted.labelValues(group.key()).inc();
    }
    if (downsampling) {
      for (Resolution step : Resolution.values()) {
        downsample(step, fetch(counts).metas().values(), counts);
      }
    }
    fetched = fetch(counts);
    for (BlockMeta expired : retention.expired(fetched.metas().values(), clock.instant())) {
      Duration kept = retention.retentionOf(expired.thanos() == null ? 0 : expired.thanos().downsampleResolutionMillis());
      if (blocks.markForDeletion(expired.ulid(), "block exceeding retention of " + goDuration(kept))) {
        counts.marked++;
        metrics.markedForDeletion("retention");
      }
    }
    deleteMarked(fetched, counts);
    BlockDirectory.delete(workDir);
    metrics.halted.set(counts.halted.isEmpty() ? 0 : 1);
    metrics.iterations.inc();
    return new Report(counts.compacted, counts.downsampled, counts.marked, counts.deleted, counts.halted);
  }

  /** The metas as the planner sees them: replicas of one Prometheus pair in one group (Thanos' replica remover). */
  private Collection<BlockMeta> withoutReplicaLabels(Collection<BlockMeta> metas) {
    if (replicaLabels.isEmpty()) {
      return metas;
    }
    List<BlockMeta> out = new ArrayList<>(metas.size());
    for (BlockMeta m : metas) {
      if (m.thanos() == null) {
        out.add(m);
        continue;
      }
      Map<String, String> labels = new TreeMap<>(m.thanos().labels());
      labels.keySet().removeAll(replicaLabels);
      out.add(m.withThanos(m.thanos().withLabels(labels)));
    }
    return out;
  }

  /** Reads the metas and marks the duplicates that compaction left behind. */
  private MetaFetcher.FetchResult fetch(Counts counts) throws IOException {
    MetaFetcher.FetchResult result = fetcher.fetch();
    for (Map.Entry<Ulid, String> e : result.filtered().entrySet()) {
      if (e.getValue().equals("duplicate") && !deletionMarks.deletionMarks().containsKey(e.getKey())
          && blocks.markForDeletion(e.getKey(), "outdated block: its sources are in another block")) {
        counts.marked++;
        metrics.markedForDeletion("duplicate");
      }
    }
    return result;
  }

  private void compactGroup(CompactionGroup group, Counts counts) throws IOException {
    Set<Ulid> noCompact = noCompactMarks.noCompactMarks().keySet();
    List<BlockMeta> current = new ArrayList<>(group.blocks());
    while (true) {
      List<BlockMeta> plan = planner.plan(current, noCompact);
      if (plan.isEmpty()) {
        return;
      }
      if (!verticalCompaction && CompactionPlanner.overlapping(plan)) {
        String reason = "overlapping blocks " + ulids(plan) + " need vertical compaction";
        LOG.error("compaction group {} halted: {}", group.key(), reason);
        counts.halted.put(group.key(), reason);
        return;
      }
      Optional<BlockMeta> merged = compact(plan);
      for (BlockMeta source : plan) {
        if (blocks.markForDeletion(source.ulid(), "source of compacted block "
            + merged.map(m -> m.ulid().toString()).orElse("(empty, not written)"))) {
          counts.marked++;
          metrics.markedForDeletion("compacted");
        }
      }
      current.removeAll(plan);
      if (merged.isPresent()) {
        current.add(merged.get());
        counts.compacted++;
        metrics.compactions.labelValues(group.key()).inc();
        if (CompactionPlanner.overlapping(plan)) {
          metrics.verticalCompactions.labelValues(group.key()).inc();
        }
      }
      LOG.info("compaction group {}: merged {} into {}", group.key(), ulids(plan),
          merged.map(m -> m.ulid().toString()).orElse("nothing (no samples)"));
    }
  }

  /** Downloads, merges, verifies and uploads; the local copies are removed afterwards. */
  private Optional<BlockMeta> compact(List<BlockMeta> plan) throws IOException {
    Path dir = Files.createDirectories(workDir.resolve("compact"));
    try {
      List<Path> dirs = new ArrayList<>(plan.size());
      for (BlockMeta m : plan) {
        dirs.add(blocks.download(m.ulid(), dir));
      }
      Optional<BlockMeta> merged = BlockCompactor.compact(dirs, dir, replicaLabels, mergeFunction);
      if (merged.isPresent()) {
        upload(dir.resolve(merged.get().ulid().toString()));
      }
      return merged;
    } finally {
      BlockDirectory.delete(dir);
    }
  }

  private void downsample(Resolution step, Collection<BlockMeta> metas, Counts counts) throws IOException {
    List<BlockMeta> planned = step == Resolution.TO_5M ? DownsamplePlanner.toFiveMinutes(metas, Set.of())
        : DownsamplePlanner.toOneHour(metas, Set.of());
    Path dir = Files.createDirectories(workDir.resolve("downsample"));
    try {
      for (BlockMeta source : planned) {
        if (bucket.exists(source.ulid() + "/" + NO_DOWNSAMPLE_MARK)) {
          continue;
        }
        String group = CompactionGroup.keyOf(source);
        metrics.downsamples.labelValues(group).inc();
        BlockMeta out;
        try {
          Path local = blocks.download(source.ulid(), dir);
          out = BlockDownsampler.downsample(local, dir);
          upload(dir.resolve(out.ulid().toString()));
          BlockDirectory.delete(local);
        } catch (IOException | RuntimeException e) {
          metrics.downsampleFailures.labelValues(group).inc();
          throw e;
        }
        counts.downsampled++;
        LOG.info("downsampled block {} to {} ms: {}", source.ulid(), out.thanos().downsampleResolutionMillis(),
            out.ulid());
        BlockDirectory.delete(dir.resolve(out.ulid().toString()));
      }
    } finally {
      BlockDirectory.delete(dir);
    }
  }

  /** Checks a written block before it goes into the bucket: a bad block must never replace good ones. */
  private void upload(Path blockDir) throws IOException {
    BlockVerifier.Report report = BlockVerifier.verify(blockDir);
    if (!report.ok()) {
      throw new IOException("block " + blockDir + " written by the compactor fails verification: "
          + report.problems());
    }
    blocks.upload(blockDir);
  }

  private void deleteMarked(MetaFetcher.FetchResult fetched, Counts counts) throws IOException {
    Instant cutoff = clock.instant().minus(deleteDelay);
    for (DeletionMark mark : deletionMarks.deletionMarks().values()) {
      if (!mark.deletionTime().isAfter(cutoff)) {
        blocks.delete(mark.id());
        counts.deleted++;
        metrics.blocksCleaned.inc();
        LOG.info("deleted block {} (marked at {}: {})", mark.id(), mark.deletionTime(), mark.details());
      }
    }
    for (Ulid partial : fetcher.abortedPartialUploads(fetched, PARTIAL_UPLOAD_AGE)) {
      metrics.partialUploadDeletions.inc();
      blocks.delete(partial);
      counts.deleted++;
      LOG.info("deleted partial upload {} (abandoned for more than {})", partial, PARTIAL_UPLOAD_AGE);
    }
  }

  /** A duration as Go prints it ({@code 720h0m0s}), as Thanos writes it into retention deletion marks. */
  private static String goDuration(Duration d) {
    return d.toHours() + "h" + d.toMinutesPart() + "m" + d.toSecondsPart() + "s";
  }

  private static String ulids(List<BlockMeta> metas) {
    return metas.stream().map(m -> m.ulid().toString()).toList().toString();
  }

  /** The two downsampling passes, in order: the second turns the first's 5m blocks into 1h blocks. */
  private enum Resolution {
    TO_5M,
    TO_1H
  }

  private static final class Counts {
    int compacted;
    int downsampled;
    int marked;
    int deleted;
    final Map<String, String> halted = new LinkedHashMap<>();
  }

  /** Options of a {@link BucketCompactor}; the defaults are Thanos'. */
  public static final class Builder {
    private final Bucket bucket;
    private final Path workDir;
    private Clock clock = Clock.systemUTC();
    private CompactionPlanner planner = new CompactionPlanner();
    private boolean verticalCompaction;
    private @Nullable PrometheusRegistry metricsRegistry;
    private boolean downsampling = true;
    private Set<String> replicaLabels = Set.of();
    private BlockCompactor.MergeFunction mergeFunction = BlockCompactor.MergeFunction.CHAIN;
    private RetentionPolicy retention = new RetentionPolicy(Duration.ZERO, Duration.ZERO, Duration.ZERO);
    private Duration deleteDelay = Duration.ofHours(48);
    private Duration consistencyDelay = Duration.ofMinutes(30);
    private Executor executor = Runnable::run;

    private Builder(Bucket bucket, Path workDir) {
      this.bucket = requireNonNull(bucket, "bucket is null");
      this.workDir = requireNonNull(workDir, "workDir is null");
    }

    /** The clock for ages, marks and retention (default UTC system clock). */
    public Builder clock(Clock clock) {
      this.clock = requireNonNull(clock, "clock is null");
      return this;
    }

    /** The planner, with its level ranges (default 1h, 2h, 8h, 2d, 14d). */
    public Builder planner(CompactionPlanner planner) {
      this.planner = requireNonNull(planner, "planner is null");
      return this;
    }

    /** Merge overlapping blocks of a group (default off: a group with overlapping blocks is halted). */
    public Builder verticalCompaction(boolean enabled) {
      this.verticalCompaction = enabled;
      return this;
    }

    /**
     * Deduplicate replicas (Thanos' {@code --deduplication.replica-label} and {@code --deduplication.func}): blocks
     * that differ only in {@code replicaLabels} form one group, overlapping blocks are merged (vertical compaction is
     * then on), and {@code merge} says how their samples are combined. Default: no replica labels, chained merge.
     *
     * @throws IllegalArgumentException for {@link BlockCompactor.MergeFunction#PENALTY} without replica labels, as
     *     Thanos refuses it
     */
    public Builder deduplication(Set<String> replicaLabels, BlockCompactor.MergeFunction merge) {
      requireNonNull(merge, "merge is null");
      if (merge == BlockCompactor.MergeFunction.PENALTY && replicaLabels.isEmpty()) {
        throw new IllegalArgumentException("penalty deduplication needs at least one replica label");
      }
      this.replicaLabels = Set.copyOf(replicaLabels);
      this.mergeFunction = merge;
      return this;
    }

    /** Downsample to 5m and 1h (default on). */
    public Builder downsampling(boolean enabled) {
      this.downsampling = enabled;
      return this;
    }

    /** Retention per resolution (default: keep forever). */
    public Builder retention(RetentionPolicy retention) {
      this.retention = requireNonNull(retention, "retention is null");
      return this;
    }

    /** How long a block marked for deletion stays before it is deleted (default 48h). */
    public Builder deleteDelay(Duration delay) {
      this.deleteDelay = nonNegative(delay, "delete delay");
      return this;
    }

    /** How old a block must be before it is considered (default 30m; compactor-made blocks are exempt). */
    public Builder consistencyDelay(Duration delay) {
      this.consistencyDelay = nonNegative(delay, "consistency delay");
      return this;
    }

    /** Runs bucket reads of metas and marks (default: the calling thread). Not shut down by the compactor. */
    public Builder executor(Executor executor) {
      this.executor = requireNonNull(executor, "executor is null");
      return this;
    }

    /**
     * Registers the compactor's metrics with {@code registry}: Thanos' {@code thanos_compact_*} families (iterations,
     * halted, compactions, downsamplings, marked and deleted blocks) and its meta fetcher's {@code
     * thanos_blocks_meta_*}; default none.
     */
    public Builder metrics(PrometheusRegistry registry) {
      this.metricsRegistry = requireNonNull(registry, "registry is null");
      return this;
    }

    /**
     * The compactor.
     *
     * @throws IllegalArgumentException if downsampling is on and the retention would delete raw or 5m blocks before
     *     they can be downsampled
     */
    public BucketCompactor build() {
      if (downsampling) {
        retention.checkForDownsampling();
      }
      return new BucketCompactor(this);
    }

    private static Duration nonNegative(Duration d, String what) {
      requireNonNull(d, what + " is null");
      if (d.isNegative()) {
        throw new IllegalArgumentException(what + " is negative: " + d);
      }
      return d;
    }
  }
}
