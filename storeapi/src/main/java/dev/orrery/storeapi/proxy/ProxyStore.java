package dev.orrery.storeapi.proxy;

import static java.util.Objects.requireNonNull;

import dev.orrery.core.OrreryException;
import dev.orrery.core.OrreryException.ErrorCode;
import dev.orrery.core.labels.Labels;
import dev.orrery.core.labels.Matcher;
import dev.orrery.core.labels.Utf8Order;
import dev.orrery.core.rules.RuleGroupStatus;
import dev.orrery.core.rules.RuleGroups;
import dev.orrery.core.rules.RuleGroupsMerge;
import dev.orrery.core.rules.RuleGroupsSource;
import dev.orrery.core.rules.RulesFilter;
import dev.orrery.core.storage.ExemplarQuery;
import dev.orrery.core.storage.ExemplarSeries;
import dev.orrery.core.storage.ExemplarSet;
import dev.orrery.core.storage.ExemplarSource;
import dev.orrery.core.storage.MetricMetadataSet;
import dev.orrery.core.storage.MetricMetadataSource;
import dev.orrery.core.storage.StoreOptions;
import dev.orrery.core.targets.ActiveTarget;
import dev.orrery.core.targets.DroppedTarget;
import dev.orrery.core.targets.TargetDiscovery;
import dev.orrery.core.targets.TargetsSource;
import dev.orrery.storeapi.SeriesSink;
import dev.orrery.storeapi.StoreApi;
import dev.orrery.storeapi.WireExemplars;
import dev.orrery.storeapi.WireLabels;
import dev.orrery.storeapi.WireMetadata;
import dev.orrery.storeapi.WireRules;
import dev.orrery.storeapi.WireTargets;
import dev.orrery.storeapi.proto.exemplars.ExemplarsRequest;
import dev.orrery.storeapi.proto.exemplars.ExemplarsResponse;
import dev.orrery.storeapi.proto.info.ExemplarsInfo;
import dev.orrery.storeapi.proto.info.InfoResponse;
import dev.orrery.storeapi.proto.info.MetricMetadataInfo;
import dev.orrery.storeapi.proto.info.RulesInfo;
import dev.orrery.storeapi.proto.info.StoreInfo;
import dev.orrery.storeapi.proto.info.TSDBInfo;
import dev.orrery.storeapi.proto.info.TargetsInfo;
import dev.orrery.storeapi.proto.metadata.MetricMetadataRequest;
import dev.orrery.storeapi.proto.metadata.MetricMetadataResponse;
import dev.orrery.storeapi.proto.rules.RulesRequest;
import dev.orrery.storeapi.proto.rules.RulesResponse;
import dev.orrery.storeapi.proto.targets.TargetsRequest;
import dev.orrery.storeapi.proto.targets.TargetsResponse;
import dev.orrery.storeapi.proto.thanos.LabelMatcher;
import dev.orrery.storeapi.proto.thanos.LabelNamesRequest;
import dev.orrery.storeapi.proto.thanos.LabelNamesResponse;
import dev.orrery.storeapi.proto.thanos.LabelValuesRequest;
import dev.orrery.storeapi.proto.thanos.LabelValuesResponse;
import dev.orrery.storeapi.proto.thanos.PartialResponseStrategy;
import dev.orrery.storeapi.proto.thanos.SeriesBatch;
import dev.orrery.storeapi.proto.thanos.SeriesRequest;
import dev.orrery.storeapi.proto.thanos.SeriesResponse;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A querier's own StoreAPI: every call is fanned out to the {@link EndpointSet} and the answers merged ({@link
 * FanOut}), so that a querier can serve another querier (stacking, as in Thanos). It is also the querier's metric
 * metadata, rules, exemplars and targets: the endpoints that announce each API are asked at once and their answers
 * merged. Thread-safe.
 */
public final class ProxyStore implements StoreApi, MetricMetadataSource, RuleGroupsSource, ExemplarSource,
    TargetsSource {
  private final EndpointSet endpoints;
  private final Duration timeout;

  /**
   * @param endpoints the stores to fan out to; not owned
   * @param timeout deadline of each endpoint's call
   */
  public ProxyStore(EndpointSet endpoints, Duration timeout) {
    this.endpoints = requireNonNull(endpoints, "endpoints is null");
    this.timeout = requireNonNull(timeout, "timeout is null");
  }

  @Override
  public void series(SeriesRequest request, SeriesSink sink) {
    if (request.getMatchersCount() == 0) {
      throw new OrreryException(ErrorCode.BAD_QUERY, "no matchers specified (excluding selector labels)");
    }
    try (FanOut f = new FanOut(request, endpoints.endpoints(), timeout)) {
      int sentWarnings = 0;
      long limit = request.getLimit() > 0 ? request.getLimit() : Long.MAX_VALUE;
      long sent = 0;
      int batchSize = (int) Math.max(1, Math.min(request.getResponseBatchSize(), 1 << 16));
      SeriesBatch.Builder batch = SeriesBatch.newBuilder();
      while (sent < limit && f.next()) {
        sentWarnings = flushWarnings(f, sink, sentWarnings);
        if (batchSize == 1) {
          sink.send(SeriesResponse.newBuilder().setSeries(f.series()).build());
        } else {
          batch.addSeries(f.series());
          if (batch.getSeriesCount() >= batchSize) {
            sink.send(SeriesResponse.newBuilder().setBatch(batch).build());
            batch = SeriesBatch.newBuilder();
          }
        }
        sent++;
      }
      if (batch.getSeriesCount() > 0) {
        sink.send(SeriesResponse.newBuilder().setBatch(batch).build());
      }
      flushWarnings(f, sink, sentWarnings);
    }
  }

  private static int flushWarnings(FanOut f, SeriesSink sink, int from) {
    List<String> w = f.warnings();
    for (int i = from; i < w.size(); i++) {
      sink.send(SeriesResponse.newBuilder().setWarning(w.get(i)).build());
    }
    return w.size();
  }

  private boolean abort(PartialResponseStrategy strategy, boolean disabled) {
    return strategy == PartialResponseStrategy.ABORT || disabled;
  }

  @Override
  public LabelNamesResponse labelNames(LabelNamesRequest request) {
    TreeSet<String> names = new TreeSet<>(Utf8Order.COMPARATOR);
    List<String> warnings = new ArrayList<>();
    LabelNamesRequest forward = request.toBuilder().clearHints().build();
    for (LabelNamesResponse r : fanOut(storesFor(request.getStart(), request.getEnd(), request.getMatchersList()),
        abort(request.getPartialResponseStrategy(), request.getPartialResponseDisabled()), warnings,
        e -> e.store().withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS).labelNames(forward))) {
      names.addAll(r.getNamesList());
      warnings.addAll(r.getWarningsList());
    }
    // Also for stores that do not support without_replica_labels.
    names.removeAll(request.getWithoutReplicaLabelsList());
    return LabelNamesResponse.newBuilder().addAllNames(limit(names, request.getLimit())).addAllWarnings(warnings)
        .build();
  }

  @Override
  public LabelValuesResponse labelValues(LabelValuesRequest request) {
    if (request.getWithoutReplicaLabelsList().contains(request.getLabel())) {
      return LabelValuesResponse.getDefaultInstance();
    }
    TreeSet<String> values = new TreeSet<>(Utf8Order.COMPARATOR);
    List<String> warnings = new ArrayList<>();
    LabelValuesRequest forward = request.toBuilder().clearHints().build();
    for (LabelValuesResponse r : fanOut(storesFor(request.getStart(), request.getEnd(), request.getMatchersList()),
        abort(request.getPartialResponseStrategy(), request.getPartialResponseDisabled()), warnings,
        e -> e.store().withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS).labelValues(forward))) {
      values.addAll(r.getValuesList());
      warnings.addAll(r.getWarningsList());
    }
    return LabelValuesResponse.newBuilder().addAllValues(limit(values, request.getLimit()))
        .addAllWarnings(warnings).build();
  }

  /**
   * Every endpoint's exemplars for {@code query}, merged ({@link ExemplarSet#merge}; series that differ only in
   * {@link StoreOptions#replicaLabels()} are one). Only endpoints whose Info announced the exemplars API for an
   * overlapping time range, and whose external labels the query's selectors may match, are asked, each without the
   * matchers on its external labels. A failing endpoint is a warning naming it under {@link
   * StoreOptions#partialResponse()}, an error otherwise.
   */
  @Override
  public ExemplarSet exemplars(ExemplarQuery query, StoreOptions options) {
    List<StoreEndpoint> targets = new ArrayList<>();
    Map<StoreEndpoint, ExemplarsRequest> requests = new HashMap<>();
    for (StoreEndpoint e : endpointsWith(e -> e.servesExemplars(query.startMillis(), query.endMillis()))) {
      String local = query.queryFor(e.labelSets());
      if (local != null) {
        targets.add(e);
        requests.put(e, WireExemplars.request(local, query.startMillis(), query.endMillis(), options));
      }
    }
    List<String> warnings = new ArrayList<>();
    List<ExemplarSeries> series = new ArrayList<>();
    for (List<ExemplarsResponse> frames : fanOut(targets, !Boolean.TRUE.equals(options.partialResponse()), warnings,
        e -> drain(e.exemplars().withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS)
            .exemplars(requests.get(e))))) {
      for (ExemplarsResponse frame : frames) {
        WireExemplars.addTo(series, warnings, frame);
      }
    }
    return ExemplarSet.merge(series, options.replicaLabels() == null ? List.of() : options.replicaLabels(),
        warnings);
  }

  /**
   * Every endpoint's rule groups that pass {@code filter}, merged ({@link RuleGroupsMerge}; rules that differ only in
   * {@link StoreOptions#replicaLabels()} are one). Only endpoints whose Info announced the rules API are asked. A
   * failing endpoint is a warning naming it under {@link StoreOptions#partialResponse()}, an error otherwise.
   */
  @Override
  public RuleGroups ruleGroups(RulesFilter filter, StoreOptions options) {
    // Label matchers do not travel (a store built without a selector parser refuses them); they apply to the answers
    // here.
    RulesRequest request = WireRules.request(filter.withoutMatchers(), options);
    List<String> warnings = new ArrayList<>();
    List<RuleGroupStatus> groups = new ArrayList<>();
    for (List<RulesResponse> frames : fanOut(endpointsWith(StoreEndpoint::servesRules),
        !Boolean.TRUE.equals(options.partialResponse()), warnings,
        e -> drain(e.rules().withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS).rules(request)))) {
      for (RulesResponse frame : frames) {
        WireRules.addTo(groups, warnings, frame);
      }
    }
    List<String> replicaLabels = options.replicaLabels() == null ? List.of() : options.replicaLabels();
    return new RuleGroups(RuleGroupsMerge.merge(filter.apply(groups), replicaLabels), warnings);
  }

  private List<StoreEndpoint> endpointsWith(Predicate<StoreEndpoint> api) {
    List<StoreEndpoint> targets = new ArrayList<>();
    for (StoreEndpoint e : endpoints.endpoints()) {
      if (api.test(e)) {
        targets.add(e);
      }
    }
    return targets;
  }

  /**
   * Every endpoint's metadata for {@code metric} (or all), merged: at most {@code limit} families (negative for all),
   * each entry once. Only endpoints whose Info announced the metadata API are asked. A failing endpoint is a warning
   * naming it under {@link StoreOptions#partialResponse()}, an error otherwise.
   */
  @Override
  public MetricMetadataSet metricMetadata(String metric, int limit, StoreOptions options) {
    List<StoreEndpoint> targets = endpointsWith(StoreEndpoint::servesMetricMetadata);
    MetricMetadataRequest request = WireMetadata.request(metric, limit, options);
    List<String> warnings = new ArrayList<>();
    MetricMetadataSet.Builder merged = MetricMetadataSet.builder(limit);
    for (List<MetricMetadataResponse> frames : fanOut(targets, !Boolean.TRUE.equals(options.partialResponse()),
        warnings, e -> drain(e.metadata().withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS)
            .metricMetadata(request)))) {
      for (MetricMetadataResponse frame : frames) {
        WireMetadata.addTo(merged, frame);
      }
    }
    warnings.forEach(merged::warn);
    return merged.build();
  }

  /**
   * Every endpoint's targets in {@code state} (or all), merged ({@link TargetDiscovery#merge}; targets that differ only
   * in {@link StoreOptions#replicaLabels()} are one). Only endpoints whose Info announced the targets API are asked; a
   * failing endpoint is a warning naming it under {@link StoreOptions#partialResponse()}, an error otherwise.
   */
  @Override
  public TargetDiscovery targets(String state, StoreOptions options) {
    TargetsRequest request = WireTargets.request(state, options);
    List<String> warnings = new ArrayList<>();
    List<ActiveTarget> active = new ArrayList<>();
    List<DroppedTarget> dropped = new ArrayList<>();
    for (List<TargetsResponse> frames : fanOut(endpointsWith(StoreEndpoint::servesTargets),
        !Boolean.TRUE.equals(options.partialResponse()), warnings,
        e -> drain(e.targets().withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS).targets(request)))) {
      for (TargetsResponse frame : frames) {
        WireTargets.addTo(active, dropped, warnings, frame);
      }
    }
    return TargetDiscovery.merge(active, dropped,
        options.replicaLabels() == null ? List.of() : options.replicaLabels(), warnings);
  }

  /** The endpoints that may hold series matching {@code matchers} in {@code [start, end]}. */
  private List<StoreEndpoint> storesFor(long start, long end, List<LabelMatcher> matchers) {
    Matcher[] parsed = WireLabels.toMatchers(matchers);
    List<StoreEndpoint> targets = new ArrayList<>();
    for (StoreEndpoint e : endpoints.endpoints()) {
      if (e.mayMatch(start, end, parsed)) {
        targets.add(e);
      }
    }
    return targets;
  }

  /**
   * Calls every endpoint of {@code targets}, all at once (each call sets its own deadline), and returns the answers
   * in endpoint order. A failing endpoint becomes a warning in {@code warnings}, or, when {@code abort}, the error
   * (naming the first failing endpoint in order) and the other calls are cancelled.
   */
  private static <R> List<R> fanOut(List<StoreEndpoint> targets, boolean abort, List<String> warnings,
      Function<StoreEndpoint, R> call) {
    List<R> answers = new ArrayList<>(targets.size());
    try (ExecutorService calls = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<R>> pending = new ArrayList<>(targets.size());
      for (StoreEndpoint e : targets) {
        pending.add(calls.submit(() -> call.apply(e)));
      }
      for (int i = 0; i < targets.size(); i++) {
        try {
          answers.add(pending.get(i).get());
        } catch (ExecutionException ex) {
          Throwable cause = ex.getCause();
          String msg = targets.get(i).failureMessage(cause);
          if (abort || !(cause instanceof StatusRuntimeException)) {
            calls.shutdownNow(); // interrupting a blocking gRPC call cancels it
            throw new OrreryException(ErrorCode.STORAGE, msg, cause);
          }
          warnings.add(msg);
        } catch (InterruptedException ex) {
          Thread.currentThread().interrupt();
          calls.shutdownNow();
          throw new OrreryException(ErrorCode.CANCELLED, "interrupted while waiting for the stores", ex);
        }
      }
    }
    return answers;
  }

  /** Every frame of a server stream (a failure surfaces as the call's {@code StatusRuntimeException}). */
  private static <T> List<T> drain(Iterator<T> frames) {
    List<T> out = new ArrayList<>();
    frames.forEachRemaining(out::add);
    return out;
  }

  private static List<String> limit(TreeSet<String> s, long limit) {
    List<String> l = new ArrayList<>(s);
    return limit > 0 && l.size() > limit ? l.subList(0, (int) limit) : l;
  }

  @Override
  public InfoResponse info() {
    Set<Labels> sets = new LinkedHashSet<>();
    long min = Long.MAX_VALUE;
    long max = Long.MIN_VALUE;
    InfoResponse.Builder out = InfoResponse.newBuilder().setComponentType("query");
    StoreInfo.Builder store = StoreInfo.newBuilder().setSupportsSharding(false)
        .setSupportsWithoutReplicaLabels(true);
    for (StoreEndpoint e : endpoints.endpoints()) {
      min = Math.min(min, e.minTime());
      max = Math.max(max, e.maxTime());
      for (Labels l : e.labelSets()) {
        if (sets.add(l)) {
          store.addTsdbInfos(TSDBInfo.newBuilder().setLabels(WireLabels.toLabelSet(l)).setMinTime(e.minTime())
              .setMaxTime(e.maxTime()));
        }
      }
    }
    for (Labels l : sets) {
      out.addLabelSets(WireLabels.toLabelSet(l));
    }
    return out.setStore(store.setMinTime(min).setMaxTime(max))
        .setMetricMetadata(MetricMetadataInfo.getDefaultInstance()).setRules(RulesInfo.getDefaultInstance())
        .setExemplars(ExemplarsInfo.newBuilder().setMinTime(min).setMaxTime(max))
        .setTargets(TargetsInfo.getDefaultInstance()).build();
  }
}
