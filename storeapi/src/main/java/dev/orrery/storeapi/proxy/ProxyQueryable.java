package dev.orrery.storeapi.proxy;

import static java.util.Objects.requireNonNull;

import dev.orrery.core.OrreryException;
import dev.orrery.core.OrreryException.ErrorCode;
import dev.orrery.core.chunk.CounterResetIterator;
import dev.orrery.core.chunk.SampleIterator;
import dev.orrery.core.dedup.OverlapSplit;
import dev.orrery.core.dedup.PenaltySampleIterator;
import dev.orrery.core.labels.Labels;
import dev.orrery.core.labels.Matcher;
import dev.orrery.core.storage.ChainSampleIterator;
import dev.orrery.core.storage.Querier;
import dev.orrery.core.storage.Queryable;
import dev.orrery.core.storage.SelectHints;
import dev.orrery.core.storage.Series;
import dev.orrery.core.storage.SeriesSet;
import dev.orrery.core.storage.StoreOptions;
import dev.orrery.storeapi.WireChunks;
import dev.orrery.storeapi.WireLabels;
import dev.orrery.storeapi.proto.thanos.Aggr;
import dev.orrery.storeapi.proto.thanos.AggrChunk;
import dev.orrery.storeapi.proto.thanos.LabelNamesRequest;
import dev.orrery.storeapi.proto.thanos.LabelNamesResponse;
import dev.orrery.storeapi.proto.thanos.LabelValuesRequest;
import dev.orrery.storeapi.proto.thanos.LabelValuesResponse;
import dev.orrery.storeapi.proto.thanos.PartialResponseStrategy;
import dev.orrery.storeapi.proto.thanos.SeriesRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The StoreAPI fan-out as a {@code core} {@link Queryable}, so the PromQL engine runs unchanged over any set of stores
 * (FORMATS.md 8.5, 9). Each {@code select} becomes one fanned-out {@code Series} call; with deduplication on (the
 * {@link SelectHints#dedup()} flag and at least one replica label) the stores drop the replica labels, so replicas of
 * one series arrive merged, and their chunks are split into non-overlapping virtual replicas and merged with Thanos'
 * penalty algorithm (with the counter adjustment for {@code rate}, {@code increase}, {@code irate}, {@code resets}).
 * Without deduplication overlapping chunks of one series (a sidecar and a gateway holding the same block) are merged
 * with the chain merge, so a sample is counted once. A failing store becomes a {@link SeriesSet#warnings() warning}
 * naming it under partial response, or an {@link OrreryException} naming it otherwise; for label calls the warnings
 * are the querier's {@link Querier#labelWarnings()}.
 *
 * <p>Thread-safe; queriers and series sets are confined to one thread.
 */
public final class ProxyQueryable implements Queryable {
  private static final Comparator<AggrChunk> BY_TIME = Comparator.comparingLong(AggrChunk::getMinTime)
      .thenComparingLong(AggrChunk::getMaxTime);

  /** Series per frame asked of the stores, as Thanos' querier does by default: fewer, larger frames. */
  static final int RESPONSE_BATCH_SIZE = 64;

  private static final List<Aggr> COUNTER = List.of(Aggr.COUNTER);

  private final EndpointSet endpoints;
  private final Duration timeout;
  private final List<String> replicaLabels;
  private final boolean dedup;
  private final boolean partialResponse;

  /**
   * A querier with deduplication and partial response allowed (each query's hints still decide).
   *
   * @param endpoints the stores; not owned
   * @param timeout deadline of each endpoint's Series call
   * @param replicaLabels labels that tell replicas apart ({@code --query.replica-label}); used when a query's hints
   *     name none
   */
  public ProxyQueryable(EndpointSet endpoints, Duration timeout, List<String> replicaLabels) {
    this(endpoints, timeout, replicaLabels, true, true);
  }

  /**
   * A querier with defaults for deduplication and partial response: a query deduplicates only if both {@code dedup}
   * and its hints allow it, and tolerates failing stores only if both {@code partialResponse} and its hints do.
   */
  public ProxyQueryable(EndpointSet endpoints, Duration timeout, List<String> replicaLabels, boolean dedup,
      boolean partialResponse) {
    this.endpoints = requireNonNull(endpoints, "endpoints is null");
    this.timeout = requireNonNull(timeout, "timeout is null");
    this.replicaLabels = List.copyOf(replicaLabels);
    this.dedup = dedup;
    this.partialResponse = partialResponse;
  }

  @Override
  public Querier querier(long minTimeMillis, long maxTimeMillis) {
    return new ProxyQuerier(minTimeMillis, maxTimeMillis);
  }

  /** The aggregates to request for a PromQL function over downsampled data (FORMATS.md 7.5). */
  static List<Aggr> aggregatesFor(String function) {
    if (function.equals("min") || function.startsWith("min_")) {
      return List.of(Aggr.MIN);
    }
    if (function.equals("max") || function.startsWith("max_")) {
      return List.of(Aggr.MAX);
    }
    if (function.equals("count") || function.startsWith("count_")) {
      return List.of(Aggr.COUNT);
    }
    if (function.startsWith("sum_")) {
      return List.of(Aggr.SUM);
    }
    return switch (function) {
      case "increase", "rate", "irate", "resets", "xincrease", "xrate" -> List.of(Aggr.COUNTER);
      default -> List.of(Aggr.COUNT, Aggr.SUM);
    };
  }

  static boolean adjustsCounters(String function) {
    return switch (function) {
      case "increase", "rate", "irate", "resets" -> true;
      default -> false;
    };
  }

  private final class ProxyQuerier implements Querier {
    private final long minTime;
    private final long maxTime;
    private final List<FanOut> open = new ArrayList<>();
    private final List<String> labelWarnings = new ArrayList<>();

    ProxyQuerier(long minTime, long maxTime) {
      this.minTime = minTime;
      this.maxTime = maxTime;
    }

    @Override
    public SeriesSet select(boolean sorted, SelectHints hints, Matcher... matchers) {
      SelectHints h = hints != null ? hints : SelectHints.ofRange(minTime, maxTime);
      List<String> dropped = droppedReplicaLabels(h);
      boolean dedup = !dropped.isEmpty();
      SeriesRequest.Builder req = SeriesRequest.newBuilder()
          .setMinTime(hints != null ? h.startMillis() : minTime)
          .setMaxTime(hints != null ? h.endMillis() : maxTime)
          .setPartialResponseStrategy(strategy(h))
          .setResponseBatchSize(RESPONSE_BATCH_SIZE);
      for (Matcher m : matchers) {
        req.addMatchers(WireLabels.toWire(m));
      }
      List<Aggr> aggregates = List.of();
      if (h.maxSourceResolutionMillis() > 0) {
        aggregates = aggregatesFor(h.function());
        req.setMaxResolutionWindow(h.maxSourceResolutionMillis()).addAllAggregates(aggregates);
      }
      req.addAllWithoutReplicaLabels(dropped);
      FanOut f = new FanOut(req.build(), endpoints.endpoints(), timeout);
      open.add(f);
      return new ProxySeriesSet(f, minTime, maxTime, dedup, dedup && adjustsCounters(h.function()), aggregates);
    }

    @Override
    public List<String> labelNames(Matcher... matchers) {
      return labelNames(StoreOptions.NONE, matchers);
    }

    @Override
    public List<String> labelValues(String name, Matcher... matchers) {
      return labelValues(StoreOptions.NONE, name, matchers);
    }

    @Override
    public List<String> labelNames(StoreOptions options, Matcher... matchers) {
      SelectHints h = options.applyTo(null, minTime, maxTime);
      LabelNamesRequest.Builder r = LabelNamesRequest.newBuilder().setStart(minTime).setEnd(maxTime)
          .setPartialResponseStrategy(strategy(h)).addAllWithoutReplicaLabels(droppedReplicaLabels(h));
      for (Matcher m : matchers) {
        r.addMatchers(WireLabels.toWire(m));
      }
      LabelNamesResponse answer = new ProxyStore(endpoints, timeout).labelNames(r.build());
      labelWarnings.addAll(answer.getWarningsList());
      return answer.getNamesList();
    }

    @Override
    public List<String> labelValues(StoreOptions options, String name, Matcher... matchers) {
      SelectHints h = options.applyTo(null, minTime, maxTime);
      LabelValuesRequest.Builder r = LabelValuesRequest.newBuilder().setLabel(name).setStart(minTime)
          .setEnd(maxTime).setPartialResponseStrategy(strategy(h)).addAllWithoutReplicaLabels(droppedReplicaLabels(h));
      for (Matcher m : matchers) {
        r.addMatchers(WireLabels.toWire(m));
      }
      LabelValuesResponse answer = new ProxyStore(endpoints, timeout).labelValues(r.build());
      labelWarnings.addAll(answer.getWarningsList());
      return answer.getValuesList();
    }

    // Partial response when both this queryable and the call allow it.
    private PartialResponseStrategy strategy(SelectHints h) {
      return partialResponse && h.partialResponse() ? PartialResponseStrategy.WARN : PartialResponseStrategy.ABORT;
    }

    // The replica labels the stores leave out (of series and of label answers): none unless both this queryable
    // and the call deduplicate; the call's replica labels, else this queryable's.
    private List<String> droppedReplicaLabels(SelectHints h) {
      if (!dedup || !h.dedup()) {
        return List.of();
      }
      return h.replicaLabels().isEmpty() ? replicaLabels : h.replicaLabels();
    }

    @Override
    public List<String> labelWarnings() {
      return List.copyOf(labelWarnings);
    }

    @Override
    public void close() {
      for (FanOut f : open) {
        f.close();
      }
      open.clear();
    }
  }

  private static final class ProxySeriesSet implements SeriesSet {
    private final FanOut fanOut;
    private final long minTime;
    private final long maxTime;
    private final boolean dedup;
    private final boolean adjustCounters;
    private final List<Aggr> aggregates;
    private Series at;

    ProxySeriesSet(FanOut fanOut, long minTime, long maxTime, boolean dedup, boolean adjustCounters,
        List<Aggr> aggregates) {
      this.fanOut = fanOut;
      this.minTime = minTime;
      this.maxTime = maxTime;
      this.dedup = dedup;
      this.adjustCounters = adjustCounters;
      this.aggregates = aggregates;
    }

    @Override
    public boolean next() {
      if (!fanOut.next()) {
        return false;
      }
      Labels labels = fanOut.labels();
      List<AggrChunk> chunks = fanOut.chunks();
      at = new ProxySeries(labels, chunks, this);
      return true;
    }

    @Override
    public Series at() {
      return at;
    }

    @Override
    public List<String> warnings() {
      return List.copyOf(fanOut.warnings());
    }
  }

  private record ProxySeries(Labels labels, List<AggrChunk> chunks, ProxySeriesSet set) implements Series {
    @Override
    public SampleIterator iterator(SampleIterator reuse) {
      List<AggrChunk> cs = chunks;
      if (!isSorted(cs)) {
        cs = new ArrayList<>(cs);
        cs.sort(BY_TIME);
      }
      int n = cs.size();
      if (n == 0) {
        return SampleIterator.empty();
      }
      long[] min = new long[n];
      long[] max = new long[n];
      for (int i = 0; i < n; i++) {
        min[i] = cs.get(i).getMinTime();
        max[i] = cs.get(i).getMaxTime();
      }
      int[] listOf = new int[n];
      int lists = OverlapSplit.assign(min, max, n, listOf);
      // Named once per series: only error messages read it.
      String resource = "series " + labels;
      List<SampleIterator> replicas = new ArrayList<>(lists);
      for (int l = 0; l < lists; l++) {
        int k = 0;
        for (int i = 0; i < n; i++) {
          k += listOf[i] == l ? 1 : 0;
        }
        ChunkListIterator.Part[] parts = new ChunkListIterator.Part[k];
        long[] mins = new long[k];
        long[] maxs = new long[k];
        k = 0;
        for (int i = 0; i < n; i++) {
          if (listOf[i] == l) {
            parts[k] = part(cs.get(i), resource);
            mins[k] = min[i];
            maxs[k++] = max[i];
          }
        }
        SampleIterator replica = new ChunkListIterator(parts, mins, maxs, set.minTime, set.maxTime);
        // 7.5, 9.1 step 4: counter sub-chunks (and raw chunks among them) through the counter-reset iterator.
        replicas.add(set.aggregates.equals(COUNTER) ? new CounterResetIterator(replica) : replica);
      }
      if (replicas.size() == 1) {
        return replicas.get(0);
      }
      if (set.dedup) {
        return PenaltySampleIterator.merge(replicas, set.adjustCounters);
      }
      return new ChainSampleIterator(replicas.toArray(new SampleIterator[0]));
    }

    private static boolean isSorted(List<AggrChunk> cs) {
      for (int i = 1; i < cs.size(); i++) {
        if (BY_TIME.compare(cs.get(i - 1), cs.get(i)) > 0) {
          return false;
        }
      }
      return true;
    }

    // 7.5: raw when present, else the requested aggregate (average of sum and count by default). The wire chunk is
    // turned into a decoder only when the iteration reaches it.
    private ChunkListIterator.Part part(AggrChunk c, String resource) {
      if (c.hasRaw()) {
        return spare -> WireChunks.toChunk(c.getRaw(), resource).iterator(spare);
      }
      List<Aggr> want = set.aggregates.isEmpty() ? List.of(Aggr.COUNT, Aggr.SUM) : set.aggregates;
      // A store answers min or max of a histogram series, which has neither, with the count and sum pair.
      boolean averageInstead = want.size() == 1 && (want.get(0) == Aggr.MIN && !c.hasMin()
          || want.get(0) == Aggr.MAX && !c.hasMax()) && c.hasSum() && c.hasCount();
      if (want.size() == 1 && !averageInstead) {
        dev.orrery.storeapi.proto.thanos.Chunk sub = switch (want.get(0)) {
          case MIN -> c.getMin();
          case MAX -> c.getMax();
          case COUNT -> c.getCount();
          case SUM -> c.getSum();
          case COUNTER -> c.getCounter();
          case RAW, UNRECOGNIZED -> c.getRaw();
        };
        if (sub.getData().isEmpty()) {
          throw new OrreryException(ErrorCode.CORRUPT_DATA, "store sent a chunk of " + labels + " without the "
              + want.get(0) + " aggregate");
        }
        return spare -> WireChunks.toChunk(sub, resource).iterator(spare);
      }
      if (!c.hasSum() || !c.hasCount()) {
        throw new OrreryException(ErrorCode.CORRUPT_DATA, "store sent a chunk of " + labels
            + " without sum and count aggregates");
      }
      return spare -> new AverageIterator(WireChunks.toChunk(c.getSum(), resource).iterator(null),
          WireChunks.toChunk(c.getCount(), resource).iterator(null));
    }
  }
}
