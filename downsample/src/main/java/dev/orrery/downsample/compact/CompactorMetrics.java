package dev.orrery.downsample.compact;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.jspecify.annotations.Nullable;

/**
 * The compactor's metric families, named as Thanos' compactor names them (label {@code group}: the compaction group's
 * key, {@code <resolution>@{<external labels>}}, where Thanos writes a hash of the labels), so the Thanos mixin's
 * compactor dashboards and alerts (halted compactor, failing compactions, no recent iteration) work unchanged. Kept in
 * a registry of their own when none is given. Thread-safe.
 */
final class CompactorMetrics {
  final Counter iterations;
  final Gauge halted;
  final Counter compactions;
  final Counter verticalCompactions;
  final Counter runsStarted;
  final Counter runsCompleted;
  final Counter compactionFailures;
  final Counter downsamples;
  final Counter downsampleFailures;
  final Counter blocksMarked;
  final Counter blocksCleaned;
  final Counter partialUploadDeletions;

  /** @param registryOrNull where to register; {@code null} keeps the metrics in a registry of their own */
  CompactorMetrics(@Nullable PrometheusRegistry registryOrNull) {
    PrometheusRegistry registry = registryOrNull == null ? new PrometheusRegistry() : registryOrNull;
    iterations = Counter.builder().name("thanos_compact_iterations_total")
        .help("Total number of iterations that were executed successfully.").register(registry);
    halted = Gauge.builder().name("thanos_compact_halted")
        .help("Set to 1 if the compactor halted due to an unexpected error.").register(registry);
    halted.set(0);
    compactions = Counter.builder().name("thanos_compact_group_compactions_total")
        .help("Total number of group compaction attempts that resulted in a new block.").labelNames("group")
        .register(registry);
    verticalCompactions = Counter.builder().name("thanos_compact_group_vertical_compactions_total")
        .help("Total number of group compaction attempts that resulted in a new block based on overlapping blocks.")
        .labelNames("group").register(registry);
    runsStarted = Counter.builder().name("thanos_compact_group_compaction_runs_started_total")
        .help("Total number of group compaction attempts.").labelNames("group").register(registry);
    runsCompleted = Counter.builder().name("thanos_compact_group_compaction_runs_completed_total")
        .help("Total number of group completed compaction runs. This also includes compactor group runs that resulted"
            + " with no compaction.").labelNames("group").register(registry);
    compactionFailures = Counter.builder().name("thanos_compact_group_compactions_failures_total")
        .help("Total number of failed group compactions.").labelNames("group").register(registry);
    downsamples = Counter.builder().name("thanos_compact_downsample_total")
        .help("Total number of downsampling attempts.").labelNames("group").register(registry);
    downsampleFailures = Counter.builder().name("thanos_compact_downsample_failures_total")
        .help("Total number of failed downsampling attempts.").labelNames("group").register(registry);
    blocksMarked = Counter.builder().name("thanos_compact_blocks_marked_total")
        .help("Total number of blocks marked in compactor.").labelNames("marker", "reason").register(registry);
    blocksCleaned = Counter.builder().name("thanos_compact_blocks_cleaned_total")
        .help("Total number of blocks deleted in compactor.").register(registry);
    partialUploadDeletions = Counter.builder().name("thanos_compact_aborted_partial_uploads_deletion_attempts_total")
        .help("Total number of started deletions of blocks that are assumed aborted and only partially uploaded.")
        .register(registry);
  }

  /** Counts a block marked for deletion, for {@code reason}: {@code compacted}, {@code duplicate} or {@code retention}. */
  void markedForDeletion(String reason) {
    blocksMarked.labelValues("deletion-mark.json", reason).inc();
  }
}
