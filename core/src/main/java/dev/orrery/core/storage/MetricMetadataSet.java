package dev.orrery.core.storage;

import static java.util.Objects.requireNonNull;

import dev.orrery.core.labels.Utf8Order;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An answer of a {@link MetricMetadataSource}: the entries of each metric family (distinct, in the order they were
 * first seen), families sorted by name in UTF-8 byte order as Prometheus' JSON lists them, and the warnings of stores
 * that failed under partial response. Immutable.
 *
 * @param byMetric the entries per metric family name
 * @param warnings what went wrong without failing the call
 */
public record MetricMetadataSet(Map<String, List<MetricMetadata>> byMetric, List<String> warnings) {
  /** No metadata and no warnings. */
  public static final MetricMetadataSet EMPTY = new MetricMetadataSet(Map.of(), List.of());

  /** Copies both, keeping the families sorted. */
  public MetricMetadataSet {
    TreeMap<String, List<MetricMetadata>> sorted = new TreeMap<>(Utf8Order.COMPARATOR);
    requireNonNull(byMetric, "byMetric is null").forEach((name, entries) -> sorted.put(name, List.copyOf(entries)));
    byMetric = Collections.unmodifiableSortedMap(sorted);
    warnings = List.copyOf(warnings);
  }

  /**
   * A copy with at most {@code limitPerMetric} entries per family (Prometheus' {@code limit_per_metric}); itself when
   * the limit is not positive.
   */
  public MetricMetadataSet limitPerMetric(int limitPerMetric) {
    if (limitPerMetric <= 0) {
      return this;
    }
    Map<String, List<MetricMetadata>> out = new TreeMap<>(Utf8Order.COMPARATOR);
    byMetric.forEach((name, entries) -> out.put(name,
        entries.size() > limitPerMetric ? entries.subList(0, limitPerMetric) : entries));
    return new MetricMetadataSet(out, warnings);
  }

  /** A builder that merges answers under a family limit. */
  public static Builder builder(int limit) {
    return new Builder(limit);
  }

  /**
   * Merges the answers of several stores: a family is taken while fewer than the limit are held (a negative limit
   * takes all, {@code 0} none), and an entry a family already has is not repeated. Not thread-safe.
   */
  public static final class Builder {
    private final int limit;
    private final Map<String, List<MetricMetadata>> byMetric = new TreeMap<>(Utf8Order.COMPARATOR);
    private final List<String> warnings = new ArrayList<>();

    private Builder(int limit) {
      this.limit = limit;
    }

    /** Adds one store's entries for {@code metric}. */
    public Builder add(String metric, List<MetricMetadata> entries) {
      List<MetricMetadata> held = byMetric.get(metric);
      if (held == null) {
        if (limit >= 0 && byMetric.size() >= limit) {
          return this;
        }
        held = new ArrayList<>(entries.size());
        byMetric.put(metric, held);
      }
      for (MetricMetadata m : entries) {
        if (!held.contains(m)) {
          held.add(m);
        }
      }
      return this;
    }

    /** Adds every family of {@code set}, and its warnings. */
    public Builder addAll(MetricMetadataSet set) {
      set.byMetric().forEach(this::add);
      warnings.addAll(set.warnings());
      return this;
    }

    /** Adds a warning. */
    public Builder warn(String warning) {
      warnings.add(requireNonNull(warning, "warning is null"));
      return this;
    }

    /** The merged answer. */
    public MetricMetadataSet build() {
      return new MetricMetadataSet(byMetric, warnings);
    }
  }
}
