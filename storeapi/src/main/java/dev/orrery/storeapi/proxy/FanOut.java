package dev.orrery.storeapi.proxy;

import com.google.protobuf.ByteString;
import dev.orrery.core.OrreryException;
import dev.orrery.core.OrreryException.ErrorCode;
import dev.orrery.core.labels.Labels;
import dev.orrery.core.labels.LabelsBuilder;
import dev.orrery.core.labels.Matcher;
import dev.orrery.storeapi.WireLabels;
import dev.orrery.storeapi.proto.thanos.AggrChunk;
import dev.orrery.storeapi.proto.thanos.Chunk;
import dev.orrery.storeapi.proto.thanos.PartialResponseStrategy;
import dev.orrery.storeapi.proto.thanos.Series;
import dev.orrery.storeapi.proto.thanos.SeriesRequest;
import dev.orrery.storeapi.proto.thanos.SeriesResponse;
import io.grpc.Context;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * One {@code Series} call fanned out to several endpoints and merged (FORMATS.md 8.5): endpoints are pruned by time
 * range and external labels, every remaining one is called at once (each with its own deadline), the streams are
 * merged k-way in label order, identical label sets from several stores become one series, and chunks that several
 * stores returned byte for byte are kept once. A failing endpoint becomes a warning naming it ({@code WARN}) or fails
 * the whole call with an error naming it ({@code ABORT}).
 *
 * <p>A pull cursor confined to one thread; {@link #close()} cancels the calls still running.
 */
public final class FanOut implements AutoCloseable {
  private static final Comparator<AggrChunk> CHUNK_ORDER = Comparator.comparingLong(AggrChunk::getMinTime)
      .thenComparingLong(AggrChunk::getMaxTime)
      .thenComparing(c -> c.getRaw().getData(), ByteString.unsignedLexicographicalComparator());

  private final Context.CancellableContext context = Context.current().withCancellation();
  private final boolean abort;
  private final List<String> warnings = new ArrayList<>();
  private final PriorityQueue<Stream> heap = new PriorityQueue<>((a, b) -> a.labels.compareTo(b.labels));
  private Labels labels = Labels.empty();
  private List<AggrChunk> chunks = List.of();

  /**
   * Starts the calls.
   *
   * @param request the request forwarded to each endpoint (its {@code hints}, {@code step} and {@code range} are
   *     dropped, 8.5 step 2)
   * @param endpoints candidate endpoints; those that cannot match are skipped
   * @param timeout deadline of each endpoint's call
   */
  public FanOut(SeriesRequest request, List<StoreEndpoint> endpoints, Duration timeout) {
    this.abort = request.getPartialResponseStrategy() == PartialResponseStrategy.ABORT
        || request.getPartialResponseDisabled();
    Matcher[] matchers = WireLabels.toMatchers(request.getMatchersList());
    SeriesRequest forwarded = request.toBuilder().clearHints().clearStep().clearRange().build();
    List<Stream> started = new ArrayList<>();
    Context previous = context.attach();
    try {
      for (StoreEndpoint e : endpoints) {
        if (!e.mayMatch(request.getMinTime(), request.getMaxTime(), matchers)) {
          continue;
        }
        boolean strip = request.getWithoutReplicaLabelsCount() > 0 && !e.supportsWithoutReplicaLabels();
        Iterator<SeriesResponse> it = e.store().withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS)
            .series(forwarded);
        started.add(new Stream(e, it, strip ? request.getWithoutReplicaLabelsList().toArray(new String[0]) : null));
      }
    } finally {
      context.detach(previous);
    }
    if (started.isEmpty() && abort && endpoints.isEmpty()) {
      throw new OrreryException(ErrorCode.STORAGE, "no StoreAPI endpoints configured");
    }
    for (Stream s : started) {
      if (s.advance()) {
        heap.add(s);
      }
    }
  }

  /** Advances to the next merged series; false when every stream is exhausted. */
  public boolean next() {
    if (heap.isEmpty()) {
      return false;
    }
    Stream first = heap.poll();
    labels = first.labels;
    List<AggrChunk> all = new ArrayList<>(first.chunks);
    int sources = 1;
    if (first.advance()) {
      heap.add(first);
    }
    while (!heap.isEmpty() && heap.peek().labels.equals(labels)) {
      Stream s = heap.poll();
      all.addAll(s.chunks);
      sources++;
      if (s.advance()) {
        heap.add(s);
      }
    }
    chunks = sources > 1 ? dedupChunks(all) : all;
    return true;
  }

  /** Labels of the current series. */
  public Labels labels() {
    return labels;
  }

  /** Chunks of the current series, sorted by time when several stores contributed. */
  public List<AggrChunk> chunks() {
    return chunks;
  }

  /** The current series as a wire message. */
  public Series series() {
    Series.Builder b = Series.newBuilder();
    for (int i = 0; i < labels.size(); i++) {
      b.addLabelsBuilder().setName(labels.name(i)).setValue(labels.value(i));
    }
    return b.addAllChunks(chunks).build();
  }

  /** Warnings so far: failed endpoints under {@code WARN} and warnings the stores sent. */
  public List<String> warnings() {
    return warnings;
  }

  // 8.5 step 4: keep a chunk unless every one of its sub-chunks was already seen; then sort.
  private static List<AggrChunk> dedupChunks(List<AggrChunk> all) {
    Set<ByteString> seen = new HashSet<>();
    List<AggrChunk> out = new ArrayList<>(all.size());
    for (AggrChunk c : all) {
      boolean fresh = false;
      for (Chunk sub : new Chunk[] {c.hasRaw() ? c.getRaw() : null, c.hasCount() ? c.getCount() : null,
          c.hasMax() ? c.getMax() : null, c.hasMin() ? c.getMin() : null, c.hasSum() ? c.getSum() : null,
          c.hasCounter() ? c.getCounter() : null}) {
        if (sub != null && seen.add(sub.getData())) {
          fresh = true;
        }
      }
      if (fresh) {
        out.add(c);
      }
    }
    out.sort(CHUNK_ORDER);
    return out;
  }

  private void failed(StoreEndpoint e, StatusRuntimeException ex) {
    String msg = e.failureMessage(ex);
    if (abort) {
      close();
      throw new OrreryException(ErrorCode.STORAGE, msg, ex);
    }
    warnings.add(msg);
  }

  /** Cancels the calls still running. Idempotent. */
  @Override
  public void close() {
    context.cancel(null);
  }

  /** One endpoint's response stream, positioned at a series. */
  private final class Stream {
    final StoreEndpoint endpoint;
    final Iterator<SeriesResponse> it;
    final ArrayDeque<Series> pending = new ArrayDeque<>();
    final String[] strip;
    Labels labels;
    List<AggrChunk> chunks;
    boolean buffered;

    Stream(StoreEndpoint endpoint, Iterator<SeriesResponse> it, String[] strip) {
      this.endpoint = endpoint;
      this.it = it;
      this.strip = strip;
    }

    boolean advance() {
      if (strip != null && !buffered) {
        bufferAndStrip();
      }
      Series s = nextSeries();
      if (s == null) {
        return false;
      }
      labels = WireLabels.toLabels(s.getLabelsList());
      chunks = s.getChunksList();
      return true;
    }

    private Series nextSeries() {
      if (!pending.isEmpty()) {
        return pending.poll();
      }
      if (buffered) {
        return null;
      }
      try {
        while (it.hasNext()) {
          SeriesResponse r = it.next();
          switch (r.getResultCase()) {
            case SERIES -> {
              return r.getSeries();
            }
            case BATCH -> {
              pending.addAll(r.getBatch().getSeriesList());
              if (!pending.isEmpty()) {
                return pending.poll();
              }
            }
            case WARNING -> {
              String w = "store " + endpoint.address() + ": " + r.getWarning();
              if (abort) {
                close();
                throw new OrreryException(ErrorCode.STORAGE, w);
              }
              warnings.add(w);
            }
            case HINTS, RESULT_NOT_SET -> { }
          }
        }
      } catch (StatusRuntimeException e) {
        failed(endpoint, e);
      }
      return null;
    }

    // 8.5 step 5: a store that cannot drop replica labels itself is read whole, stripped and re-sorted.
    private void bufferAndStrip() {
      List<Series> all = new ArrayList<>();
      for (Series s = nextSeries(); s != null; s = nextSeries()) {
        LabelsBuilder b = WireLabels.toLabels(s.getLabelsList()).toBuilder().delete(strip);
        Labels l = b.build();
        Series.Builder sb = Series.newBuilder().addAllChunks(s.getChunksList());
        for (int i = 0; i < l.size(); i++) {
          sb.addLabelsBuilder().setName(l.name(i)).setValue(l.value(i));
        }
        all.add(sb.build());
      }
      all.sort((a, b) -> WireLabels.toLabels(a.getLabelsList()).compareTo(WireLabels.toLabels(b.getLabelsList())));
      pending.addAll(all);
      buffered = true;
    }
  }
}
