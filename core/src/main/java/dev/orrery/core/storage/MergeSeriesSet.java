package dev.orrery.core.storage;

import dev.orrery.core.chunk.SampleIterator;
import dev.orrery.core.labels.Labels;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Merges series sets that are each sorted by labels into one sorted set (k-way, with a heap). Series with equal
 * labels in several inputs (the same series in adjacent or overlapping blocks) become one series whose samples are
 * chained in time order, a timestamp present in several inputs taken once ({@link ChainSampleIterator}). Confined to
 * one thread.
 */
public final class MergeSeriesSet implements SeriesSet {
  private final PriorityQueue<Head> heap;
  private final List<SeriesSet> inputs;
  private final List<Series> current = new ArrayList<>();
  private Series at;

  private MergeSeriesSet(List<SeriesSet> inputs) {
    this.inputs = inputs;
    this.heap = new PriorityQueue<>(Math.max(1, inputs.size()), (a, b) -> a.series.labels().compareTo(b.series.labels()));
  }

  /** A set merging {@code sets}; returns the single input unchanged when there is one. */
  public static SeriesSet of(List<SeriesSet> sets) {
    if (sets.isEmpty()) {
      return SeriesSet.empty();
    }
    if (sets.size() == 1) {
      return sets.get(0);
    }
    MergeSeriesSet m = new MergeSeriesSet(List.copyOf(sets));
    for (SeriesSet s : m.inputs) {
      if (s.next()) {
        m.heap.add(new Head(s, s.at()));
      }
    }
    return m;
  }

  @Override
  public boolean next() {
    if (heap.isEmpty()) {
      return false;
    }
    current.clear();
    Head first = heap.poll();
    Labels labels = first.series.labels();
    current.add(first.series);
    advance(first);
    while (!heap.isEmpty() && heap.peek().series.labels().equals(labels)) {
      Head h = heap.poll();
      current.add(h.series);
      advance(h);
    }
    at = current.size() == 1 ? current.get(0) : new ChainedSeries(labels, List.copyOf(current));
    return true;
  }

  private void advance(Head h) {
    if (h.set.next()) {
      h.series = h.set.at();
      heap.add(h);
    }
  }

  @Override
  public Series at() {
    return at;
  }

  @Override
  public List<String> warnings() {
    List<String> out = new ArrayList<>();
    for (SeriesSet s : inputs) {
      out.addAll(s.warnings());
    }
    return out;
  }

  private static final class Head {
    final SeriesSet set;
    Series series;

    Head(SeriesSet set, Series series) {
      this.set = set;
      this.series = series;
    }
  }

  /** One series made of the same labels' series from several inputs. */
  private record ChainedSeries(Labels labels, List<Series> parts) implements Series {
    @Override
    public SampleIterator iterator(SampleIterator reuse) {
      SampleIterator[] its = new SampleIterator[parts.size()];
      for (int i = 0; i < its.length; i++) {
        its[i] = parts.get(i).iterator(null);
      }
      return new ChainSampleIterator(its);
    }
  }
}
