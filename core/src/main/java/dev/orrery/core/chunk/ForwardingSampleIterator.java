package dev.orrery.core.chunk;

import dev.orrery.core.histogram.FloatHistogram;
import dev.orrery.core.histogram.Histogram;
import java.util.Objects;

/**
 * A {@link SampleIterator} that passes every call to another, for wrappers that watch or count what is read: override
 * {@link #next()} and {@link #seek(long)}. {@link #appendFloats} is deliberately not forwarded, so bulk reads go
 * through {@code next()} and a wrapper sees every sample.
 */
public abstract class ForwardingSampleIterator implements SampleIterator {
  /** The iterator calls go to. */
  protected final SampleIterator delegate;

  protected ForwardingSampleIterator(SampleIterator delegate) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
  }

  @Override
  public ValueType next() {
    return delegate.next();
  }

  @Override
  public ValueType seek(long t) {
    return delegate.seek(t);
  }

  @Override
  public long atT() {
    return delegate.atT();
  }

  @Override
  public double atV() {
    return delegate.atV();
  }

  @Override
  public Histogram atHistogram() {
    return delegate.atHistogram();
  }

  @Override
  public FloatHistogram atFloatHistogram() {
    return delegate.atFloatHistogram();
  }

  @Override
  public long atST() {
    return delegate.atST();
  }
}
