package dev.orrery.core.storage;

import dev.orrery.core.chunk.FloatSamples;
import dev.orrery.core.chunk.SampleIterator;
import dev.orrery.core.chunk.ValueType;
import dev.orrery.core.histogram.FloatHistogram;
import dev.orrery.core.histogram.Histogram;

/**
 * Merges the sample iterators of one series from several sources in time order; when several sources have a sample at
 * the same timestamp, the one from the earliest source wins and the others are skipped (Prometheus'
 * {@code chainSampleIterator}). Confined to one thread.
 */
public final class ChainSampleIterator implements SampleIterator {
  private final SampleIterator[] its;
  private final ValueType[] state;
  private SampleIterator cur;
  private int curIndex = -1;
  // Smallest head timestamp among the other live sources: while the current one stays below it, no other source
  // needs looking at (blocks of one series rarely overlap, so this is the common case).
  private long otherMin = Long.MAX_VALUE;
  private ValueType curType = ValueType.NONE;
  private boolean started;

  /** Chains {@code iterators}; the array is owned by this iterator afterwards. */
  public ChainSampleIterator(SampleIterator[] iterators) {
    this.its = iterators;
    this.state = new ValueType[iterators.length];
  }

  @Override
  public ValueType next() {
    if (!started) {
      started = true;
      for (int i = 0; i < its.length; i++) {
        state[i] = its[i].next();
      }
    } else if (cur != null) {
      long t = cur.atT();
      if (t < otherMin) {
        ValueType vt = cur.next();
        state[curIndex] = vt;
        if (vt != ValueType.NONE && cur.atT() < otherMin) {
          curType = vt;
          return vt;
        }
        return pick();
      }
      // Advance every source positioned at the emitted timestamp, so duplicates are taken once.
      for (int i = 0; i < its.length; i++) {
        if (state[i] != ValueType.NONE && its[i].atT() == t) {
          state[i] = its[i].next();
        }
      }
    }
    return pick();
  }

  @Override
  public ValueType appendFloats(FloatSamples out, long maxT) {
    if (!started) {
      return SampleIterator.super.appendFloats(out, maxT);
    }
    while (cur != null) {
      if (cur.atT() < otherMin) {
        // The current source is alone up to otherMin: copy its run in bulk.
        ValueType vt = cur.appendFloats(out, Math.min(maxT, otherMin - 1));
        state[curIndex] = vt;
        if (vt != ValueType.NONE && cur.atT() < otherMin) {
          curType = vt;
          return vt;
        }
        vt = pick();
        if (vt != ValueType.FLOAT || cur.atT() > maxT) {
          return vt;
        }
      } else {
        // Several sources meet here: step as next() does, which skips duplicates.
        ValueType vt = next();
        if (vt != ValueType.FLOAT || cur.atT() > maxT) {
          return vt;
        }
      }
      out.add(cur.atT(), cur.atV());
    }
    return ValueType.NONE;
  }

  @Override
  public ValueType seek(long t) {
    if (started && cur != null && curType != ValueType.NONE && cur.atT() >= t) {
      return curType;
    }
    started = true;
    for (int i = 0; i < its.length; i++) {
      if (state[i] != ValueType.NONE) { // null (never advanced) seeks too
        state[i] = its[i].seek(t);
      }
    }
    return pick();
  }

  private ValueType pick() {
    int best = -1;
    long bestT = Long.MAX_VALUE;
    long second = Long.MAX_VALUE;
    for (int i = 0; i < its.length; i++) {
      if (state[i] != null && state[i] != ValueType.NONE) {
        long t = its[i].atT();
        if (t < bestT) {
          second = bestT;
          bestT = t;
          best = i;
        } else if (t < second) {
          second = t;
        }
      }
    }
    otherMin = second;
    curIndex = best;
    if (best < 0) {
      cur = null;
      curType = ValueType.NONE;
      return ValueType.NONE;
    }
    cur = its[best];
    curType = state[best];
    return curType;
  }

  @Override
  public long atT() {
    return cur.atT();
  }

  @Override
  public double atV() {
    return cur.atV();
  }

  @Override
  public Histogram atHistogram() {
    return cur.atHistogram();
  }

  @Override
  public FloatHistogram atFloatHistogram() {
    return cur.atFloatHistogram();
  }
}
