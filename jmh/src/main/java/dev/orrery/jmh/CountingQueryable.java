package dev.orrery.jmh;

import dev.orrery.core.chunk.ForwardingSampleIterator;
import dev.orrery.core.chunk.SampleIterator;
import dev.orrery.core.chunk.ValueType;
import dev.orrery.core.labels.Labels;
import dev.orrery.core.storage.Queryable;
import dev.orrery.core.storage.SelectHints;
import dev.orrery.core.storage.Series;
import dev.orrery.core.storage.SeriesSet;
import dev.orrery.core.storage.SeriesWrappingQueryable;

/**
 * A {@link Queryable} that counts the series and samples a reader pulls out of another one: every sample an iterator
 * hands out from {@code next()} or {@code seek()}. The benchmarks run a query through it once, outside the timed
 * part, to turn ms/op into ns per sample scanned; the wrappers cost a virtual call per sample, so they are never
 * timed.
 */
final class CountingQueryable extends SeriesWrappingQueryable {
  private long series;
  private long samples;

  CountingQueryable(Queryable delegate) {
    super(delegate);
  }

  /** Series selected so far (each {@link Series} returned by a {@link SeriesSet}). */
  long series() {
    return series;
  }

  /** Samples handed out so far. */
  long samples() {
    return samples;
  }

  @Override
  protected Series wrap(Series s, SelectHints hints) {
    series++;
    return new Series() {
      @Override
      public Labels labels() {
        return s.labels();
      }

      @Override
      public SampleIterator iterator(SampleIterator reuse) {
        return new CountingIterator(s.iterator(reuse instanceof CountingIterator c ? c.inner() : reuse));
      }
    };
  }

  private final class CountingIterator extends ForwardingSampleIterator {
    CountingIterator(SampleIterator it) {
      super(it);
    }

    SampleIterator inner() {
      return delegate;
    }

    private long current = Long.MIN_VALUE;

    private ValueType count(ValueType t) {
      if (t != ValueType.NONE) {
        long at = delegate.atT();
        // A seek that stays on the current sample hands out nothing new.
        if (at != current) {
          samples++;
          current = at;
        }
      }
      return t;
    }

    @Override
    public ValueType next() {
      return count(delegate.next());
    }

    @Override
    public ValueType seek(long t) {
      return count(delegate.seek(t));
    }
  }
}
