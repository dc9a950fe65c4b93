package dev.orrery.core.storage;

import static java.util.Objects.requireNonNull;

import dev.orrery.core.labels.Matcher;
import java.io.IOException;
import java.util.List;

/**
 * A {@link Queryable} that passes everything through to another but lets a subclass replace each selected series, for
 * wrappers that watch or count what a reader pulls out (usually with a
 * {@link dev.orrery.core.chunk.ForwardingSampleIterator} per series).
 */
public abstract class SeriesWrappingQueryable implements Queryable {
  /** The storage reads go to. */
  protected final Queryable delegate;

  /** A wrapper whose reads go to {@code delegate}. */
  protected SeriesWrappingQueryable(Queryable delegate) {
    this.delegate = requireNonNull(delegate, "delegate is null");
  }

  /**
   * The series handed to the reader in place of {@code series}.
   *
   * @param hints the selection's hints; may be {@code null}
   */
  protected abstract Series wrap(Series series, SelectHints hints);

  @Override
  public Querier querier(long minTimeMillis, long maxTimeMillis) throws IOException {
    Querier q = delegate.querier(minTimeMillis, maxTimeMillis);
    return new Querier() {
      @Override
      public SeriesSet select(boolean sorted, SelectHints hints, Matcher... matchers) {
        SeriesSet set = q.select(sorted, hints, matchers);
        return new SeriesSet() {
          // Wrapped once per series, however often the reader asks for it.
          private Series current;

          @Override
          public boolean next() {
            boolean more = set.next();
            current = more ? wrap(set.at(), hints) : null;
            return more;
          }

          @Override
          public Series at() {
            return current;
          }

          @Override
          public List<String> warnings() {
            return set.warnings();
          }
        };
      }

      @Override
      public List<String> labelNames(Matcher... matchers) {
        return q.labelNames(matchers);
      }

      @Override
      public List<String> labelValues(String name, Matcher... matchers) {
        return q.labelValues(name, matchers);
      }

      @Override
      public List<String> labelNames(StoreOptions options, Matcher... matchers) {
        return q.labelNames(options, matchers);
      }

      @Override
      public List<String> labelValues(StoreOptions options, String name, Matcher... matchers) {
        return q.labelValues(options, name, matchers);
      }

      @Override
      public List<String> labelWarnings() {
        return q.labelWarnings();
      }

      @Override
      public void close() {
        q.close();
      }
    };
  }
}
