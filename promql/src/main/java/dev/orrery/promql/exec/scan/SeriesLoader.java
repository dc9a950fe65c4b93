package dev.orrery.promql.exec.scan;

import dev.orrery.core.OrreryException;
import dev.orrery.core.chunk.FloatSamples;
import dev.orrery.core.chunk.SampleIterator;
import dev.orrery.core.chunk.StaleNaN;
import dev.orrery.core.chunk.ValueType;
import dev.orrery.core.histogram.CounterResetHint;
import dev.orrery.core.histogram.FloatHistogram;
import dev.orrery.core.histogram.HistogramCounterResets;
import dev.orrery.core.histogram.Span;
import dev.orrery.core.labels.Matcher;
import dev.orrery.core.storage.Querier;
import dev.orrery.core.storage.SelectHints;
import dev.orrery.core.storage.Series;
import dev.orrery.core.storage.SeriesSet;
import dev.orrery.promql.engine.Annotation;
import dev.orrery.promql.exec.QueryContext;
import dev.orrery.promql.exec.StorageErrors;
import java.util.ArrayList;
import java.util.List;

/** Selects series from storage and decodes their samples in a time range into {@link SeriesData}. */
final class SeriesLoader {
  private SeriesLoader() {}

  static boolean isStale(double v) {
    return StaleNaN.is(v);
  }

  /**
   * The series matching {@code matchers} with their samples in {@code [mint, maxt]}, in label order. Stale markers
   * are kept when {@code keepStale} (instant selectors need them), else dropped (range windows ignore them).
   */
  static List<SeriesData> load(QueryContext ctx, List<Matcher> matchers, long mint, long maxt, SelectHints hints,
      boolean keepStale, boolean statsOnly) {
    List<SeriesData> out = new ArrayList<>();
    try {
      Querier q = ctx.querier(mint, maxt);
      SeriesSet set = q.select(true, hints, matchers.toArray(new Matcher[0]));
      while (set.next()) {
        Series s = set.at();
        out.add(new SeriesData(s.labels(), new Decoder(s, mint, maxt, keepStale, statsOnly,
            ctx.useStartTimestamps())));
        ctx.addSeries(1);
      }
      for (String warning : set.warnings()) {
        ctx.annotations().add(new Annotation(Annotation.Severity.STORAGE_WARNING, warning, -1));
      }
    } catch (OrreryException e) {
      throw StorageErrors.toQueryException(e);
    }
    return out;
  }

  /** Decodes one series on demand; holds the storage iterator and the sample it stopped at. */
  private static final class Decoder implements SeriesData.Source {
    private final Series series;
    private final long mint;
    private final long maxt;
    private final boolean keepStale;
    private final boolean statsOnly;
    private final boolean starts;
    private SampleIterator it;
    private ValueType pending = ValueType.NONE;
    private FloatHistogram previous;
    private FloatSamples scratch;

    Decoder(Series series, long mint, long maxt, boolean keepStale, boolean statsOnly, boolean starts) {
      this.starts = starts;
      this.series = series;
      this.mint = mint;
      this.maxt = maxt;
      this.keepStale = keepStale;
      this.statsOnly = statsOnly;
    }

    @Override
    public boolean fill(SeriesData d, long upTo) {
      try {
        if (it == null) {
          it = series.iterator(null);
          pending = it.next();
        }
        long limit = Math.min(upTo, maxt);
        while (pending != ValueType.NONE) {
          long t = it.atT();
          if (t > limit) {
            return t > maxt;
          }
          if (t >= mint) {
            append(d, t, pending);
            if (pending == ValueType.FLOAT && !starts && d.floatSt == null) {
              if (scratch == null) {
                scratch = new FloatSamples();
              }
              pending = d.appendFloats(it, scratch, limit, keepStale);
              continue;
            }
          }
          pending = it.next();
        }
        return true;
      } catch (OrreryException e) {
        throw StorageErrors.toQueryException(e);
      }
    }

    private void append(SeriesData d, long t, ValueType vt) {
      long st = starts ? it.atST() : 0;
      switch (vt) {
        case FLOAT -> {
          double v = it.atV();
          if (keepStale || !isStale(v)) {
            d.addFloat(t, v, st);
          }
        }
        case HISTOGRAM, FLOAT_HISTOGRAM -> {
          FloatHistogram h = it.atFloatHistogram();
          if (isStale(h.sum())) {
            if (keepStale) {
              d.addFloat(t, h.sum());
            }
          } else if (statsOnly) {
            d.addHistogram(t, statsOf(h, previous), st);
            previous = copy(h);
          } else {
            d.addHistogram(t, copy(h), st);
          }
        }
        case NONE -> throw new IllegalStateException("unreachable");
      }
    }
  }

  /**
   * Count and sum only, as Prometheus' {@code HistogramStatsIterator} returns them: an unknown counter reset hint is
   * replaced by on-the-fly detection against the previous histogram, since the buckets will not be seen later.
   */
  private static FloatHistogram statsOf(FloatHistogram h, FloatHistogram previous) {
    CounterResetHint hint = h.counterResetHint();
    if (hint == CounterResetHint.UNKNOWN && previous != null) {
      hint = HistogramCounterResets.detectReset(previous, h) ? CounterResetHint.COUNTER_RESET
          : CounterResetHint.NOT_COUNTER_RESET;
    }
    return new FloatHistogram(hint, h.schema(), h.zeroThreshold(), 0, h.count(), h.sum(), new Span[0],
        new double[0], new Span[0], new double[0], new double[0]);
  }

  // Iterators may reuse the arrays of the histogram they return; keep our own.
  private static FloatHistogram copy(FloatHistogram h) {
    return new FloatHistogram(h.counterResetHint(), h.schema(), h.zeroThreshold(), h.zeroCount(), h.count(), h.sum(),
        h.positiveSpans().clone(), h.positiveBuckets().clone(), h.negativeSpans().clone(),
        h.negativeBuckets().clone(), h.customValues());
  }
}
