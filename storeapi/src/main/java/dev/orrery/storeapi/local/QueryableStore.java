package dev.orrery.storeapi.local;

import static java.util.Objects.requireNonNull;

import dev.orrery.core.OrreryException;
import dev.orrery.core.OrreryException.ErrorCode;
import dev.orrery.core.chunk.FloatHistogramAppender;
import dev.orrery.core.chunk.SampleIterator;
import dev.orrery.core.chunk.ValueType;
import dev.orrery.core.chunk.XorAppender;
import dev.orrery.core.histogram.FloatHistogram;
import dev.orrery.core.labels.Labels;
import dev.orrery.core.labels.Matcher;
import dev.orrery.core.labels.Utf8Order;
import dev.orrery.core.rules.RuleGroups;
import dev.orrery.core.rules.RuleGroupsSource;
import dev.orrery.core.storage.Querier;
import dev.orrery.core.storage.Queryable;
import dev.orrery.core.storage.SeriesSet;
import dev.orrery.storeapi.SeriesFrameAssembler;
import dev.orrery.storeapi.SeriesSink;
import dev.orrery.storeapi.StoreApi;
import dev.orrery.storeapi.WireChunks;
import dev.orrery.storeapi.WireLabels;
import dev.orrery.storeapi.proto.info.InfoResponse;
import dev.orrery.storeapi.proto.info.RulesInfo;
import dev.orrery.storeapi.proto.info.StoreInfo;
import dev.orrery.storeapi.proto.info.TSDBInfo;
import dev.orrery.storeapi.proto.thanos.AggrChunk;
import dev.orrery.storeapi.proto.thanos.LabelNamesRequest;
import dev.orrery.storeapi.proto.thanos.LabelNamesResponse;
import dev.orrery.storeapi.proto.thanos.LabelValuesRequest;
import dev.orrery.storeapi.proto.thanos.LabelValuesResponse;
import dev.orrery.storeapi.proto.thanos.SeriesRequest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * The StoreAPI over a {@link Queryable} with external labels, as Thanos' ruler serves its own TSDB: {@code Series}
 * selects from the queryable and sends each series' samples as chunks of up to {@value #SAMPLES_PER_CHUNK} samples
 * (XOR for floats, float histogram chunks for native histograms), with the external labels added; matchers on
 * external labels are answered from them; {@code Info} announces the labels and an unbounded time range. Given the
 * ruler's rules, it also serves them through Thanos' Rules API, with the external labels added. Thread-safe if the
 * queryable and the rules are.
 */
public final class QueryableStore implements StoreApi {
  /** Samples per XOR chunk sent. */
  public static final int SAMPLES_PER_CHUNK = 120;

  private final Queryable queryable;
  private final Labels externalLabels;
  private final String componentType;
  private final @Nullable RuleGroupsSource rules;

  /**
   * A store over {@code queryable}.
   *
   * @param componentType what {@code Info} reports, e.g. {@code rule}
   */
  public QueryableStore(Queryable queryable, Labels externalLabels, String componentType) {
    this(queryable, externalLabels, componentType, null);
  }

  /**
   * A store over {@code queryable} that also serves {@code rules}.
   *
   * @param componentType what {@code Info} reports, e.g. {@code rule}
   * @param rules the rules to serve, or {@code null} for none
   */
  public QueryableStore(Queryable queryable, Labels externalLabels, String componentType,
      @Nullable RuleGroupsSource rules) {
    this.queryable = requireNonNull(queryable, "queryable is null");
    this.externalLabels = requireNonNull(externalLabels, "externalLabels is null");
    this.componentType = requireNonNull(componentType, "componentType is null");
    this.rules = rules;
  }

  @Override
  public @Nullable RuleGroupsSource rulesApi() {
    RuleGroupsSource r = rules;
    if (r == null) {
      return null;
    }
    // Label matchers see the rules with the external labels, as a querier does.
    return (filter, options) -> {
      RuleGroups all = r.ruleGroups(filter.withoutMatchers(), options).withExternalLabels(externalLabels);
      return new RuleGroups(filter.apply(all.groups()), all.warnings());
    };
  }

  @Override
  public void series(SeriesRequest request, SeriesSink sink) {
    Matcher[] local = WireLabels.localMatchers(externalLabels, WireLabels.toMatchers(request.getMatchersList()));
    if (local == null || request.getMinTime() > request.getMaxTime()) {
      return;
    }
    String[] without = request.getWithoutReplicaLabelsList().toArray(new String[0]);
    long limit = request.getLimit() > 0 ? request.getLimit() : Long.MAX_VALUE;
    SeriesFrameAssembler out = new SeriesFrameAssembler(sink, externalLabels, without, request.getSkipChunks(),
        limit);
    try (Querier q = open(request.getMinTime(), request.getMaxTime())) {
      SeriesSet set = q.select(true, null, local);
      SampleIterator it = null;
      while (!out.full() && set.next()) {
        it = set.at().iterator(it);
        out.add(set.at().labels(), chunks(it));
      }
    }
    out.finish();
  }

  /**
   * The samples as chunks of at most {@value #SAMPLES_PER_CHUNK}: XOR for floats, float histogram chunks for native
   * histograms, cut also where the kind changes or a histogram does not fit (another bucket layout, a counter reset).
   */
  private static List<AggrChunk> chunks(SampleIterator it) {
    List<AggrChunk> out = new ArrayList<>();
    XorAppender floats = new XorAppender();
    FloatHistogramAppender histograms = new FloatHistogramAppender();
    for (ValueType type = it.next(); type != ValueType.NONE; type = it.next()) {
      if (type == ValueType.FLOAT) {
        if (histograms.numSamples() > 0 || floats.numSamples() == SAMPLES_PER_CHUNK) {
          cut(floats, histograms, out);
        }
        floats.appendBits(it.atT(), Double.doubleToRawLongBits(it.atV()));
      } else {
        FloatHistogram h = it.atFloatHistogram();
        if (floats.numSamples() > 0 || histograms.numSamples() == SAMPLES_PER_CHUNK) {
          cut(floats, histograms, out);
        }
        if (histograms.numSamples() == 0 || !histograms.append(it.atT(), h)) {
          cut(floats, histograms, out);
          histograms.append(it.atT(), h);
        }
      }
    }
    cut(floats, histograms, out);
    return out;
  }

  /** Sends the open chunk, if it holds samples, and empties both appenders. */
  private static void cut(XorAppender floats, FloatHistogramAppender histograms, List<AggrChunk> out) {
    if (floats.numSamples() > 0) {
      out.add(WireChunks.xor(floats));
    }
    if (histograms.numSamples() > 0) {
      out.add(WireChunks.floatHistogram(histograms));
    }
    floats.reset();
    histograms.reset();
  }

  @Override
  public LabelNamesResponse labelNames(LabelNamesRequest request) {
    Matcher[] local = WireLabels.localMatchers(externalLabels, WireLabels.toMatchers(request.getMatchersList()));
    if (local == null) {
      return LabelNamesResponse.getDefaultInstance();
    }
    TreeSet<String> names = new TreeSet<>(Utf8Order.COMPARATOR);
    try (Querier q = open(request.getStart(), request.getEnd())) {
      names.addAll(q.labelNames(local));
    }
    externalLabels.forEach((n, v) -> names.add(n));
    names.removeAll(request.getWithoutReplicaLabelsList());
    return LabelNamesResponse.newBuilder().addAllNames(limit(names, request.getLimit())).build();
  }

  @Override
  public LabelValuesResponse labelValues(LabelValuesRequest request) {
    String name = request.getLabel();
    Matcher[] local = WireLabels.localMatchers(externalLabels, WireLabels.toMatchers(request.getMatchersList()));
    if (local == null || request.getWithoutReplicaLabelsList().contains(name)) {
      return LabelValuesResponse.getDefaultInstance();
    }
    if (externalLabels.has(name)) {
      return LabelValuesResponse.newBuilder().addValues(externalLabels.get(name)).build();
    }
    TreeSet<String> values = new TreeSet<>(Utf8Order.COMPARATOR);
    try (Querier q = open(request.getStart(), request.getEnd())) {
      values.addAll(q.labelValues(name, local));
    }
    return LabelValuesResponse.newBuilder().addAllValues(limit(values, request.getLimit())).build();
  }

  @Override
  public InfoResponse info() {
    InfoResponse.Builder out = InfoResponse.newBuilder().setComponentType(componentType)
        .addLabelSets(WireLabels.toLabelSet(externalLabels))
        .setStore(StoreInfo.newBuilder().setMinTime(Long.MIN_VALUE).setMaxTime(Long.MAX_VALUE)
            .setSupportsWithoutReplicaLabels(true)
            .addTsdbInfos(TSDBInfo.newBuilder().setLabels(WireLabels.toLabelSet(externalLabels))
                .setMinTime(Long.MIN_VALUE).setMaxTime(Long.MAX_VALUE)));
    if (rules != null) {
      out.setRules(RulesInfo.getDefaultInstance());
    }
    return out.build();
  }

  /** A querier over the request's range; 0 for both ends means all time, as label requests send it. */
  private Querier open(long start, long end) {
    long s = start == 0 && end == 0 ? Long.MIN_VALUE : start;
    long e = end == 0 ? Long.MAX_VALUE : end;
    try {
      return queryable.querier(s, e);
    } catch (IOException ex) {
      throw new OrreryException(ErrorCode.STORAGE, "cannot open the store's data: " + ex.getMessage(), ex);
    }
  }

  private static List<String> limit(TreeSet<String> s, long limit) {
    List<String> l = new ArrayList<>(s);
    return limit > 0 && l.size() > limit ? l.subList(0, (int) limit) : l;
  }
}
