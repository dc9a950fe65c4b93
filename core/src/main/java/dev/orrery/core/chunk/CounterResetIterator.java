package dev.orrery.core.chunk;

/**
 * Thanos' counter-reset iterator ({@code ApplyCounterResetsSeriesIterator}, FORMATS.md 7.4, 7.5), which the querier
 * puts over a series' {@code [COUNTER]} aggregates and the 1h downsampler over the 5m counter sub-chunks: float samples
 * become a monotonic running total, where a value below the previous raw value is a reset and adds itself; a sample at
 * the previous timestamp is the true last raw value of a counter sub-chunk and only updates the value the next increase
 * is measured from; samples earlier than that, and NaN, are skipped. Histogram samples pass unchanged (their counter
 * sub-chunks carry no raw first and last values). Hides resets from PromQL, so {@code resets} reads 0 here, as upstream.
 * Confined to one thread.
 */
public final class CounterResetIterator extends ForwardingSampleIterator {
  private ValueType type = ValueType.NONE;
  private boolean started;
  private boolean floatSeen;
  private long lastT;
  private double lastRaw = Double.NaN;
  private double total;

  /** The running total of {@code in}'s counter samples. */
  public CounterResetIterator(SampleIterator in) {
    super(in);
  }

  @Override
  public ValueType next() {
    while (true) {
      ValueType vt = delegate.next();
      if (vt == ValueType.NONE) {
        return type = ValueType.NONE;
      }
      long t = delegate.atT();
      if (started && t <= lastT) {
        if (t == lastT && vt == ValueType.FLOAT && type == ValueType.FLOAT && !Double.isNaN(delegate.atV())) {
          lastRaw = delegate.atV();
        }
        continue;
      }
      if (vt == ValueType.FLOAT) {
        double v = delegate.atV();
        if (Double.isNaN(v)) {
          continue;
        }
        if (!floatSeen) {
          total = v;
          floatSeen = true;
        } else {
          total += v >= lastRaw ? v - lastRaw : v;
        }
        lastRaw = v;
      }
      started = true;
      lastT = t;
      return type = vt;
    }
  }

  @Override
  public ValueType seek(long t) {
    if (type != ValueType.NONE && lastT >= t) {
      return type;
    }
    // Through next, not the source's seek: every sample on the way counts towards the total.
    while (next() != ValueType.NONE) {
      if (lastT >= t) {
        return type;
      }
    }
    return ValueType.NONE;
  }

  @Override
  public long atT() {
    return lastT;
  }

  @Override
  public double atV() {
    return total;
  }

  /** The last raw (not adjusted) counter value seen so far, NaN before any. */
  public double lastRaw() {
    return lastRaw;
  }
}
