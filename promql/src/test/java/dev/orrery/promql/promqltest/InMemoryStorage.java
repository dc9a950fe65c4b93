package dev.orrery.promql.promqltest;

import dev.orrery.core.chunk.SampleIterator;
import dev.orrery.core.chunk.StaleNaN;
import dev.orrery.core.chunk.ValueType;
import dev.orrery.core.histogram.CounterResetHint;
import dev.orrery.core.histogram.FloatHistogram;
import dev.orrery.core.histogram.Histogram;
import dev.orrery.core.labels.Labels;
import dev.orrery.core.labels.Matcher;
import dev.orrery.core.storage.Querier;
import dev.orrery.core.storage.Queryable;
import dev.orrery.core.storage.SelectHints;
import dev.orrery.core.storage.Series;
import dev.orrery.core.storage.SeriesSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * An immutable in-memory {@link Queryable} built from the test DSL's {@code load} commands. Loading returns a new
 * storage, so each {@code eval} keeps the snapshot it was written against. Histogram samples get the counter reset
 * hints that Prometheus' TSDB head would give them when read back from chunks: the first sample of a chunk carries the
 * chunk's header hint (unknown, or counter reset when one was detected or asked for), later ones "not a reset", and
 * gauge histograms stay gauges.
 */
final class InMemoryStorage implements Queryable {
  private static final int SAMPLES_PER_CHUNK = 120;

  private final TreeMap<Labels, StoredSeries> series;

  private InMemoryStorage(TreeMap<Labels, StoredSeries> series) {
    this.series = series;
  }

  static InMemoryStorage empty() {
    return new InMemoryStorage(new TreeMap<>());
  }

  /**
   * Samples of one series: timestamps, float values, histograms ({@code null} where the sample is a float) and
   * start timestamps (0 when unknown).
   */
  record StoredSeries(long[] ts, double[] values, FloatHistogram[] histograms, long[] starts) {}

  /** This storage plus the series of {@code load}, with their histograms' hints fixed as the TSDB would. */
  InMemoryStorage plus(TestScript.Load load) {
    TreeMap<Labels, TreeMap<Long, SequenceValue>> raw = new TreeMap<>();
    TreeMap<Labels, TreeMap<Long, Long>> startsByLabels = new TreeMap<>();
    for (SeriesDescParser.SeriesDesc d : load.series()) {
      TreeMap<Long, SequenceValue> points = raw.computeIfAbsent(d.labels(), k -> new TreeMap<>());
      TreeMap<Long, Long> starts = startsByLabels.computeIfAbsent(d.labels(), k -> new TreeMap<>());
      long t = 0;
      for (int k = 0; k < d.values().size(); k++) {
        SequenceValue v = d.values().get(k);
        if (!v.omitted()) {
          points.put(t, v);
          if (d.startOffsets() != null && d.startOffsets()[k] != SeriesDescParser.NO_START) {
            starts.put(t, t + d.startOffsets()[k]);
          }
        }
        t += load.intervalMillis();
      }
    }
    if (load.withNhcb()) {
      ClassicToNhcb.convert(raw);
    }
    TreeMap<Labels, StoredSeries> out = new TreeMap<>(series);
    for (Map.Entry<Labels, TreeMap<Long, SequenceValue>> e : raw.entrySet()) {
      TreeMap<Long, SequenceValue> merged = new TreeMap<>();
      TreeMap<Long, Long> starts = new TreeMap<>();
      StoredSeries old = out.get(e.getKey());
      if (old != null) {
        for (int i = 0; i < old.ts().length; i++) {
          merged.put(old.ts()[i], old.histograms()[i] != null
              ? SequenceValue.ofHistogram(old.histograms()[i], true) : SequenceValue.ofFloat(old.values()[i]));
          if (old.starts()[i] != 0) {
            starts.put(old.ts()[i], old.starts()[i]);
          }
        }
      }
      merged.putAll(e.getValue());
      starts.putAll(startsByLabels.getOrDefault(e.getKey(), new TreeMap<>()));
      out.put(e.getKey(), store(merged, starts));
    }
    return new InMemoryStorage(out);
  }

  private static StoredSeries store(TreeMap<Long, SequenceValue> points, Map<Long, Long> starts) {
    int n = points.size();
    long[] ts = new long[n];
    double[] vs = new double[n];
    FloatHistogram[] hs = new FloatHistogram[n];
    int i = 0;
    FloatHistogram prev = null;
    int inChunk = 0;
    boolean prevWasHistogram = false;
    for (Map.Entry<Long, SequenceValue> p : points.entrySet()) {
      ts[i] = p.getKey();
      SequenceValue v = p.getValue();
      if (v.histogram() == null) {
        vs[i] = v.value();
        boolean stale = StaleNaN.is(v.value());
        if (!(stale && prevWasHistogram)) {
          // A float sample starts a float chunk; a stale marker in a histogram series stays in the chunk.
          prev = null;
          prevWasHistogram = false;
          inChunk = 0;
        } else {
          prev = new FloatHistogram(CounterResetHint.UNKNOWN, prev.schema(), prev.zeroThreshold(), 0, 0, 0,
              new dev.orrery.core.histogram.Span[0], new double[0], new dev.orrery.core.histogram.Span[0],
              new double[0], prev.customValues());
        }
        i++;
        continue;
      }
      FloatHistogram h = v.histogram();
      CounterResetHint hint;
      if (h.counterResetHint() == CounterResetHint.GAUGE) {
        hint = CounterResetHint.GAUGE;
      } else if (prev == null || inChunk >= SAMPLES_PER_CHUNK
          || prev.counterResetHint() == CounterResetHint.GAUGE) {
        hint = h.counterResetHint() == CounterResetHint.COUNTER_RESET ? CounterResetHint.COUNTER_RESET
            : CounterResetHint.UNKNOWN;
        inChunk = 0;
      } else if (h.counterResetHint() == CounterResetHint.COUNTER_RESET) {
        hint = CounterResetHint.COUNTER_RESET;
        inChunk = 0;
      } else if (isReset(prev, h)) {
        // A detected reset cuts a new chunk, but Prometheus reads its first sample back as "unknown"
        // (prometheus/prometheus#15346, which the test files document).
        hint = CounterResetHint.UNKNOWN;
        inChunk = 0;
      } else if (h.schema() != prev.schema() || h.zeroThreshold() != prev.zeroThreshold()) {
        hint = CounterResetHint.UNKNOWN;
        inChunk = 0;
      } else {
        hint = CounterResetHint.NOT_COUNTER_RESET;
      }
      hs[i] = new FloatHistogram(hint, h.schema(), h.zeroThreshold(), h.zeroCount(), h.count(), h.sum(),
          h.positiveSpans(), h.positiveBuckets(), h.negativeSpans(), h.negativeBuckets(), h.customValues());
      prev = h;
      prevWasHistogram = true;
      inChunk++;
      i++;
    }
    long[] st = new long[n];
    for (int k = 0; k < n; k++) {
      st[k] = starts.getOrDefault(ts[k], 0L);
    }
    return new StoredSeries(ts, vs, hs, st);
  }

  // The head appender's reset detection: a count, zero count or bucket that went down, or custom bounds that changed.
  private static boolean isReset(FloatHistogram prev, FloatHistogram cur) {
    if (cur.count() < prev.count() || cur.zeroCount() < prev.zeroCount()) {
      return true;
    }
    boolean customPrev = prev.schema() == Histogram.CUSTOM_BUCKETS_SCHEMA;
    boolean customCur = cur.schema() == Histogram.CUSTOM_BUCKETS_SCHEMA;
    if (customPrev != customCur) {
      return true;
    }
    if (customCur && !Arrays.equals(prev.customValues(), cur.customValues())) {
      return true;
    }
    if (cur.schema() > prev.schema() && !customCur) {
      return true;
    }
    if (cur.zeroThreshold() < prev.zeroThreshold()) {
      return true;
    }
    return dev.orrery.core.histogram.HistogramCounterResets.bucketsDecreased(prev, cur);
  }

  @Override
  public Querier querier(long minTimeMillis, long maxTimeMillis) {
    return new MemQuerier(minTimeMillis, maxTimeMillis);
  }

  private final class MemQuerier implements Querier {
    private final long mint;
    private final long maxt;

    MemQuerier(long mint, long maxt) {
      this.mint = mint;
      this.maxt = maxt;
    }

    @Override
    public SeriesSet select(boolean sorted, SelectHints hints, Matcher... matchers) {
      List<Series> out = new ArrayList<>();
      for (Map.Entry<Labels, StoredSeries> e : series.entrySet()) {
        if (matchesAll(e.getKey(), matchers)) {
          StoredSeries s = e.getValue();
          Labels l = e.getKey();
          boolean any = false;
          for (long t : s.ts()) {
            if (t >= mint && t <= maxt) {
              any = true;
              break;
            }
          }
          if (any) {
            out.add(new MemSeries(l, s, mint, maxt));
          }
        }
      }
      Iterator<Series> it = out.iterator();
      return new SeriesSet() {
        private Series current;

        @Override
        public boolean next() {
          if (!it.hasNext()) {
            return false;
          }
          current = it.next();
          return true;
        }

        @Override
        public Series at() {
          return current;
        }
      };
    }

    @Override
    public List<String> labelNames(Matcher... matchers) {
      TreeSet<String> names = new TreeSet<>();
      for (Labels l : series.keySet()) {
        if (matchesAll(l, matchers)) {
          for (int i = 0; i < l.size(); i++) {
            names.add(l.name(i));
          }
        }
      }
      return List.copyOf(names);
    }

    @Override
    public List<String> labelValues(String name, Matcher... matchers) {
      TreeSet<String> values = new TreeSet<>();
      for (Labels l : series.keySet()) {
        if (matchesAll(l, matchers) && l.has(name)) {
          values.add(l.get(name));
        }
      }
      return List.copyOf(values);
    }

    @Override
    public void close() {}
  }

  private static boolean matchesAll(Labels l, Matcher[] matchers) {
    for (Matcher m : matchers) {
      if (!m.matches(l.get(m.name()))) {
        return false;
      }
    }
    return true;
  }

  private record MemSeries(Labels labels, StoredSeries data, long mint, long maxt) implements Series {
    @Override
    public SampleIterator iterator(SampleIterator reuse) {
      return new MemIterator(data, mint, maxt);
    }
  }

  private static final class MemIterator implements SampleIterator {
    private final StoredSeries data;
    private final long maxt;
    private int i;

    MemIterator(StoredSeries data, long mint, long maxt) {
      this.data = data;
      this.maxt = maxt;
      int p = 0;
      while (p < data.ts().length && data.ts()[p] < mint) {
        p++;
      }
      this.i = p - 1;
    }

    private ValueType type() {
      if (i >= data.ts().length || data.ts()[i] > maxt) {
        return ValueType.NONE;
      }
      return data.histograms()[i] != null ? ValueType.FLOAT_HISTOGRAM : ValueType.FLOAT;
    }

    @Override
    public ValueType next() {
      if (i < data.ts().length) {
        i++;
      }
      return type();
    }

    @Override
    public ValueType seek(long t) {
      if (i < 0) {
        i = 0;
      }
      while (i < data.ts().length && data.ts()[i] < t) {
        i++;
      }
      return type();
    }

    @Override
    public long atT() {
      return data.ts()[i];
    }

    @Override
    public double atV() {
      return data.values()[i];
    }

    @Override
    public Histogram atHistogram() {
      throw new IllegalStateException("the test storage holds float histograms only");
    }

    @Override
    public FloatHistogram atFloatHistogram() {
      return data.histograms()[i];
    }

    @Override
    public long atST() {
      return data.starts()[i];
    }
  }
}
