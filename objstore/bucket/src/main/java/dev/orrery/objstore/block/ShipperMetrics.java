package dev.orrery.objstore.block;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.jspecify.annotations.Nullable;

/**
 * The {@link Shipper}'s metric families, named as Thanos' shipper names them: directory syncs and failed syncs,
 * uploaded blocks and failed uploads. Kept in a registry of their own when none is given. Thread-safe.
 */
final class ShipperMetrics {
  final Counter dirSyncs;
  final Counter dirSyncFailures;
  final Counter uploads;
  final Counter uploadFailures;

  /** @param registryOrNull where to register; {@code null} keeps the metrics in a registry of their own */
  ShipperMetrics(@Nullable PrometheusRegistry registryOrNull) {
    PrometheusRegistry registry = registryOrNull == null ? new PrometheusRegistry() : registryOrNull;
    dirSyncs = Counter.builder().name("thanos_shipper_dir_syncs_total").help("Total number of dir syncs")
        .register(registry);
    dirSyncFailures = Counter.builder().name("thanos_shipper_dir_sync_failures_total")
        .help("Total number of failed dir syncs").register(registry);
    uploads = Counter.builder().name("thanos_shipper_uploads_total").help("Total number of uploaded blocks")
        .register(registry);
    uploadFailures = Counter.builder().name("thanos_shipper_upload_failures_total")
        .help("Total number of block upload failures").register(registry);
  }
}
