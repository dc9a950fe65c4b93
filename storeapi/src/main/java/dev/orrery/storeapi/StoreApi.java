package dev.orrery.storeapi;

import dev.orrery.core.rules.RuleGroupsSource;
import dev.orrery.core.storage.ExemplarSource;
import dev.orrery.core.storage.MetricMetadataSource;
import dev.orrery.core.targets.TargetsSource;
import dev.orrery.storeapi.proto.info.InfoResponse;
import dev.orrery.storeapi.proto.thanos.LabelNamesRequest;
import dev.orrery.storeapi.proto.thanos.LabelNamesResponse;
import dev.orrery.storeapi.proto.thanos.LabelValuesRequest;
import dev.orrery.storeapi.proto.thanos.LabelValuesResponse;
import dev.orrery.storeapi.proto.thanos.SeriesRequest;
import org.jspecify.annotations.Nullable;

/**
 * Something that serves the Thanos StoreAPI (FORMATS.md 8): a store gateway over a bucket, a sidecar over a
 * Prometheus, or a querier over other stores. {@link StoreServices} exposes one over gRPC.
 *
 * <p>Implementations are thread-safe; each call runs on the caller's thread (which may be virtual) and blocks for
 * I/O. Failures are {@link dev.orrery.core.OrreryException}s whose code {@link StoreServices} maps to a gRPC status
 * ({@code BAD_QUERY} to {@code INVALID_ARGUMENT}, {@code LIMIT_EXCEEDED} to {@code RESOURCE_EXHAUSTED}, …).
 */
public interface StoreApi {
  /**
   * Streams the series matching {@code request} into {@code sink}, in label order (FORMATS.md 8.4).
   *
   * @throws dev.orrery.core.OrreryException on a bad request, a limit, a storage failure or a cancelled call
   */
  void series(SeriesRequest request, SeriesSink sink);

  /** Sorted, distinct label names over the request's time range and matchers. */
  LabelNamesResponse labelNames(LabelNamesRequest request);

  /** Sorted, distinct values of one label over the request's time range and matchers. */
  LabelValuesResponse labelValues(LabelValuesRequest request);

  /** What this store serves: external label sets, time range and capabilities (FORMATS.md 8.3). */
  InfoResponse info();

  /**
   * The metric metadata this store serves through Thanos' Metadata API, or {@code null} for none (by default itself
   * if it is a {@link MetricMetadataSource}); when there is one, {@link #info()} announces {@code metric_metadata}.
   */
  default @Nullable MetricMetadataSource metadataApi() {
    return this instanceof MetricMetadataSource source ? source : null;
  }

  /**
   * The rule groups this store serves through Thanos' Rules API (rules carrying the store's external labels), or
   * {@code null} for none (by default itself if it is a {@link RuleGroupsSource}); when there is one, {@link #info()}
   * announces {@code rules}.
   */
  default @Nullable RuleGroupsSource rulesApi() {
    return this instanceof RuleGroupsSource source ? source : null;
  }

  /**
   * The exemplars this store serves through Thanos' Exemplars API (series carrying the store's external labels), or
   * {@code null} for none (by default itself if it is an {@link ExemplarSource}); when there is one, {@link #info()}
   * announces {@code exemplars} with its time range.
   */
  default @Nullable ExemplarSource exemplarsApi() {
    return this instanceof ExemplarSource source ? source : null;
  }

  /**
   * The scrape targets this store serves through Thanos' Targets API (targets carrying the store's external labels),
   * or {@code null} for none (by default itself if it is a {@link TargetsSource}); when there is one, {@link #info()}
   * announces {@code targets}.
   */
  default @Nullable TargetsSource targetsApi() {
    return this instanceof TargetsSource source ? source : null;
  }
}
