package dev.orrery.core.storage;

/** The set with no series. */
final class EmptySeriesSet implements SeriesSet {
  static final EmptySeriesSet INSTANCE = new EmptySeriesSet();

  @Override
  public boolean next() {
    return false;
  }

  @Override
  public Series at() {
    throw new IllegalStateException("empty series set");
  }
}
