package dev.orrery.core.dedup;

import static java.util.Objects.requireNonNull;

import dev.orrery.core.chunk.SampleIterator;
import dev.orrery.core.chunk.ValueType;
import dev.orrery.core.histogram.FloatHistogram;
import dev.orrery.core.histogram.Histogram;
import java.util.List;

/**
 * Thanos' penalty deduplication of replicas (FORMATS.md 9.2, upstream {@code dedupSeriesIterator}): merges two
 * replicas of one series so that the output keeps the original sampling rate and stays on one replica, switching
 * only where the current one has a gap of more than about two scrape intervals. The replica that was not chosen must
 * skip ahead by twice the last observed gap (its "penalty"); before the first sample the penalty is {@value
 * #INITIAL_PENALTY_MILLIS} ms. More than two replicas are folded pairwise: {@code merge(merge(r0, r1), r2)}.
 *
 * <p>With counter adjustment (for {@code rate}, {@code increase}, {@code irate}, {@code resets}; FORMATS.md 9.3)
 * each replica's floats are raised after a switch so that a replica that lagged behind does not produce a fake
 * counter reset.
 *
 * <p>Confined to one thread. {@link #seek(long)} steps through {@link #next()} so that penalties apply to every
 * step; it never jumps through the replicas' own seek.
 */
public final class PenaltySampleIterator implements CounterAdjustable {
  /** Penalty in milliseconds used before any sample was emitted. */
  public static final long INITIAL_PENALTY_MILLIS = 5000;

  private final SampleIterator a;
  private final SampleIterator b;
  private final boolean adjustCounters;
  private ValueType aType = ValueType.NONE;
  private ValueType bType = ValueType.NONE;
  private ValueType type = ValueType.NONE;
  private boolean started;
  private long lastT = Long.MIN_VALUE;
  private long penA;
  private long penB;
  private boolean useA = true;

  private PenaltySampleIterator(SampleIterator a, SampleIterator b, boolean adjustCounters) {
    this.a = a;
    this.b = b;
    this.adjustCounters = adjustCounters;
  }

  /**
   * Merges replicas of one series with the penalty algorithm. Each iterator should already be clipped to the query's
   * time range.
   *
   * @param replicas at least one iterator; owned by the result afterwards
   * @param adjustCounters whether to apply the counter adjustment of FORMATS.md 9.3
   * @return the single replica unchanged (apart from the adjustment wrapper) or the pairwise fold
   * @throws IllegalArgumentException if {@code replicas} is empty
   */
  public static SampleIterator merge(List<? extends SampleIterator> replicas, boolean adjustCounters) {
    requireNonNull(replicas, "replicas is null");
    if (replicas.isEmpty()) {
      throw new IllegalArgumentException("no replicas to merge");
    }
    if (replicas.size() == 1) {
      return replicas.get(0);
    }
    SampleIterator acc = wrap(replicas.get(0), adjustCounters);
    for (int i = 1; i < replicas.size(); i++) {
      acc = new PenaltySampleIterator(acc, wrap(replicas.get(i), adjustCounters), adjustCounters);
    }
    return acc;
  }

  private static SampleIterator wrap(SampleIterator it, boolean adjustCounters) {
    requireNonNull(it, "replica is null");
    return adjustCounters && !(it instanceof CounterAdjustable) ? new CounterAdjustedIterator(it) : it;
  }

  @Override
  public ValueType next() {
    if (!started) {
      started = true;
      aType = a.next();
      bType = b.next();
    }
    // 9.3: the value currently emitted, taken literally from the state (on the first call: A's first sample).
    boolean lastFloat = false;
    double lastV = 0;
    if (adjustCounters) {
      if (useA && aType == ValueType.FLOAT) {
        lastV = a.atV();
        lastFloat = true;
      } else if (!useA && bType == ValueType.FLOAT) {
        lastV = b.atV();
        lastFloat = true;
      }
    }
    boolean prevUseA = useA;
    if (aType != ValueType.NONE) {
      aType = a.seek(lastT + 1 + penA);
    }
    if (bType != ValueType.NONE) {
      bType = b.seek(lastT + 1 + penB);
    }
    if (aType == ValueType.NONE) {
      useA = false;
      if (bType != ValueType.NONE) {
        lastT = b.atT();
        penB = 0;
      }
      type = bType;
    } else if (bType == ValueType.NONE) {
      useA = true;
      lastT = a.atT();
      penA = 0;
      type = aType;
    } else {
      long ta = a.atT();
      long tb = b.atT();
      useA = ta <= tb;
      if (useA) {
        penB = lastT != Long.MIN_VALUE ? 2 * (ta - lastT) : INITIAL_PENALTY_MILLIS;
        penA = 0;
        lastT = ta;
        type = aType;
      } else {
        penA = lastT != Long.MIN_VALUE ? 2 * (tb - lastT) : INITIAL_PENALTY_MILLIS;
        penB = 0;
        lastT = tb;
        type = bType;
      }
    }
    if (adjustCounters && lastFloat && useA != prevUseA) {
      adjust(lastV);
    }
    return type;
  }

  /** Forwards the adjustment to both replicas (FORMATS.md 9.3: a nested merge adjusts both children). */
  @Override
  public void adjust(double lastValue) {
    if (aType == ValueType.FLOAT && a instanceof CounterAdjustable ca) {
      ca.adjust(lastValue);
    }
    if (bType == ValueType.FLOAT && b instanceof CounterAdjustable cb) {
      cb.adjust(lastValue);
    }
  }

  @Override
  public ValueType seek(long t) {
    if (!started || type == ValueType.NONE) {
      if (started) {
        return ValueType.NONE;
      }
      if (next() == ValueType.NONE) {
        return ValueType.NONE;
      }
    }
    while (atT() < t) {
      if (next() == ValueType.NONE) {
        return ValueType.NONE;
      }
    }
    return type;
  }

  private SampleIterator current() {
    return useA ? a : b;
  }

  @Override
  public long atT() {
    return current().atT();
  }

  @Override
  public double atV() {
    return current().atV();
  }

  @Override
  public Histogram atHistogram() {
    return current().atHistogram();
  }

  @Override
  public FloatHistogram atFloatHistogram() {
    return current().atFloatHistogram();
  }

  @Override
  public long atST() {
    return current().atST();
  }
}
