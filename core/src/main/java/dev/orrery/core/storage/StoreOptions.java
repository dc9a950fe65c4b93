package dev.orrery.core.storage;

import dev.orrery.core.labels.Matcher;
import java.util.List;
import java.util.Objects;

/**
 * Per-query options a querier carries down to its stores (Thanos' {@code dedup}, {@code replicaLabels[]},
 * {@code partial_response} and {@code max_source_resolution} API parameters), applied to every select of a
 * {@link Queryable} through {@link #applyTo}. A {@code null} field keeps what the caller's hints say. Immutable.
 *
 * @param dedup whether replicas are deduplicated, or {@code null}
 * @param replicaLabels the replica labels, or {@code null}
 * @param partialResponse whether a failing store becomes a warning instead of an error, or {@code null}
 * @param maxSourceResolutionMillis coarsest downsampling resolution acceptable, or {@code null}
 */
public record StoreOptions(Boolean dedup, List<String> replicaLabels, Boolean partialResponse,
    Long maxSourceResolutionMillis) {

  /** No options: hints pass unchanged. */
  public static final StoreOptions NONE = new StoreOptions(null, null, null, null);

  /** Copies the list. */
  public StoreOptions {
    replicaLabels = replicaLabels == null ? null : List.copyOf(replicaLabels);
  }

  /** True when no option is set. */
  public boolean isEmpty() {
    return dedup == null && replicaLabels == null && partialResponse == null && maxSourceResolutionMillis == null;
  }

  /** {@code hints} (or plain range hints when {@code null}) with these options filled in. */
  public SelectHints applyTo(SelectHints hints, long minTimeMillis, long maxTimeMillis) {
    SelectHints h = hints != null ? hints : SelectHints.ofRange(minTimeMillis, maxTimeMillis);
    return new SelectHints(h.startMillis(), h.endMillis(), h.stepMillis(), h.function(), h.rangeMillis(),
        h.grouping(), h.by(), dedup != null ? dedup : h.dedup(),
        replicaLabels != null ? replicaLabels : h.replicaLabels(),
        partialResponse != null ? partialResponse : h.partialResponse(),
        maxSourceResolutionMillis != null ? maxSourceResolutionMillis : h.maxSourceResolutionMillis());
  }

  /** These options, with each field left {@code null} here taken from {@code fallback}. */
  public StoreOptions orElse(StoreOptions fallback) {
    Objects.requireNonNull(fallback, "fallback is null");
    return new StoreOptions(dedup != null ? dedup : fallback.dedup,
        replicaLabels != null ? replicaLabels : fallback.replicaLabels,
        partialResponse != null ? partialResponse : fallback.partialResponse,
        maxSourceResolutionMillis != null ? maxSourceResolutionMillis : fallback.maxSourceResolutionMillis);
  }

  /**
   * {@code queryable} with these options applied to every select and label call; the same instance when there are
   * none.
   */
  public Queryable applyTo(Queryable queryable) {
    Objects.requireNonNull(queryable, "queryable is null");
    if (isEmpty()) {
      return queryable;
    }
    return (mint, maxt) -> new OptionsQuerier(queryable.querier(mint, maxt), mint, maxt);
  }

  private final class OptionsQuerier implements Querier {
    private final Querier inner;
    private final long mint;
    private final long maxt;

    OptionsQuerier(Querier inner, long mint, long maxt) {
      this.inner = inner;
      this.mint = mint;
      this.maxt = maxt;
    }

    @Override
    public SeriesSet select(boolean sorted, SelectHints hints, Matcher... matchers) {
      return inner.select(sorted, applyTo(hints, mint, maxt), matchers);
    }

    @Override
    public List<String> labelNames(Matcher... matchers) {
      return inner.labelNames(StoreOptions.this, matchers);
    }

    @Override
    public List<String> labelValues(String name, Matcher... matchers) {
      return inner.labelValues(StoreOptions.this, name, matchers);
    }

    @Override
    public List<String> labelNames(StoreOptions options, Matcher... matchers) {
      return inner.labelNames(orElse(options), matchers);
    }

    @Override
    public List<String> labelValues(StoreOptions options, String name, Matcher... matchers) {
      return inner.labelValues(orElse(options), name, matchers);
    }

    @Override
    public List<String> labelWarnings() {
      return inner.labelWarnings();
    }

    @Override
    public void close() {
      inner.close();
    }
  }
}
