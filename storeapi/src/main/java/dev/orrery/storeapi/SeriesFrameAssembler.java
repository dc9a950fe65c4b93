package dev.orrery.storeapi;

import dev.orrery.core.labels.Labels;
import dev.orrery.core.labels.LabelsBuilder;
import dev.orrery.storeapi.proto.thanos.AggrChunk;
import dev.orrery.storeapi.proto.thanos.Label;
import dev.orrery.storeapi.proto.thanos.Series;
import dev.orrery.storeapi.proto.thanos.SeriesResponse;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a store's series, given in label order and possibly in several pieces, into StoreAPI {@code Series} frames:
 * the store's external labels applied, the request's replica labels removed, one frame per series, chunks left out
 * when the request skips them, at most the request's series limit. Confined to one request's thread.
 */
public final class SeriesFrameAssembler {
  private final SeriesSink sink;
  private final Labels ext;
  private final String[] without;
  private final boolean skipChunks;
  private final long limit;
  private long sent;
  private Labels current;
  private final List<AggrChunk> chunks = new ArrayList<>();

  /**
   * An assembler writing to {@code sink}.
   *
   * @param without the request's {@code without_replica_labels}
   * @param limit the most series to send ({@code Long.MAX_VALUE} for no limit)
   */
  public SeriesFrameAssembler(SeriesSink sink, Labels ext, String[] without, boolean skipChunks, long limit) {
    this.sink = sink;
    this.ext = ext;
    this.without = without;
    this.skipChunks = skipChunks;
    this.limit = limit;
  }

  /** Whether the series limit is reached (further series are dropped). */
  public boolean full() {
    return sent >= limit;
  }

  /** Adds chunks of the series with wire {@code labels}; consecutive calls for one series are joined. */
  public void add(List<Label> labels, List<AggrChunk> more) {
    LabelsBuilder b = new LabelsBuilder();
    for (Label l : labels) {
      b.set(l.getName(), l.getValue());
    }
    add(b, more);
  }

  /** Adds chunks of the series with {@code labels}; consecutive calls for one series are joined. */
  public void add(Labels labels, List<AggrChunk> more) {
    add(labels.toBuilder(), more);
  }

  private void add(LabelsBuilder b, List<AggrChunk> more) {
    ext.forEach(b::set);
    if (without.length > 0) {
      b.delete(without);
    }
    Labels l = b.build();
    if (current != null && !current.equals(l)) {
      flush();
    }
    current = l;
    chunks.addAll(more);
  }

  private void flush() {
    if (current == null || full()) {
      return;
    }
    if (!chunks.isEmpty()) {
      Series.Builder s = Series.newBuilder();
      for (int i = 0; i < current.size(); i++) {
        s.addLabelsBuilder().setName(current.name(i)).setValue(current.value(i));
      }
      if (!skipChunks) {
        s.addAllChunks(chunks);
      }
      sink.send(SeriesResponse.newBuilder().setSeries(s).build());
      sent++;
    }
    chunks.clear();
    current = null;
  }

  /** Sends the last series. */
  public void finish() {
    flush();
  }
}
