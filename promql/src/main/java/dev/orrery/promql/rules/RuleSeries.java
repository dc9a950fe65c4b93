package dev.orrery.promql.rules;

import dev.orrery.core.chunk.Chunk;
import dev.orrery.core.chunk.FloatHistogramAppender;
import dev.orrery.core.chunk.SampleIterator;
import dev.orrery.core.chunk.ValueType;
import dev.orrery.core.chunk.XorAppender;
import dev.orrery.core.histogram.FloatHistogram;
import java.util.ArrayList;
import java.util.List;

/**
 * One series of the ruler's storage: its full chunks and the one being appended to, XOR for floats and float histogram
 * chunks for native histograms. A chunk is cut at {@value RuleStorage#SAMPLES_PER_CHUNK} samples, where the sample
 * kind changes, and where a histogram does not fit the open chunk (another bucket layout, a counter reset). Guarded
 * by the storage's lock.
 */
final class RuleSeries {
  /** A chunk with the times of its first and last sample. */
  record TimedChunk(Chunk chunk, long minT, long maxT) {}

  /** The series' reference in the WAL. */
  final long ref;
  private final List<TimedChunk> full = new ArrayList<>();
  private final XorAppender floats = new XorAppender();
  private final FloatHistogramAppender histograms = new FloatHistogramAppender();
  /** The last sample's time; samples at or before it are dropped. */
  long lastT = Long.MIN_VALUE;

  RuleSeries(long ref) {
    this.ref = ref;
  }

  /** Appends a float sample after the last one; false (nothing stored) for one at or before it. */
  boolean append(long t, double v) {
    if (t <= lastT) {
      return false;
    }
    if (histograms.numSamples() > 0 || floats.numSamples() == RuleStorage.SAMPLES_PER_CHUNK) {
      cut();
    }
    floats.append(t, v);
    lastT = t;
    return true;
  }

  /** Appends a native histogram sample after the last one; false (nothing stored) for one at or before it. */
  boolean append(long t, FloatHistogram h) {
    if (t <= lastT) {
      return false;
    }
    if (floats.numSamples() > 0 || histograms.numSamples() == RuleStorage.SAMPLES_PER_CHUNK) {
      cut();
    }
    if (histograms.numSamples() == 0 || !histograms.append(t, h)) {
      cut();
      histograms.append(t, h);
    }
    lastT = t;
    return true;
  }

  /** Appends sample {@code i} of {@code samples}, float or histogram. */
  boolean append(RuleSamples samples, int i) {
    FloatHistogram h = samples.hs[i];
    return h == null ? append(samples.ts[i], samples.vs[i]) : append(samples.ts[i], h);
  }

  /** Moves the open chunk, if it holds samples, to the full ones. */
  private void cut() {
    TimedChunk open = openChunk();
    if (open != null) {
      full.add(open);
    }
    floats.reset();
    histograms.reset();
  }

  private TimedChunk openChunk() {
    if (floats.numSamples() > 0) {
      return new TimedChunk(floats.toChunk(), floats.minTimeMillis(), floats.maxTimeMillis());
    }
    if (histograms.numSamples() > 0) {
      return new TimedChunk(histograms.toChunk(), histograms.minTimeMillis(), histograms.maxTimeMillis());
    }
    return null;
  }

  /** The chunks as of now: copies, so readers never see a chunk change. */
  List<TimedChunk> snapshot() {
    List<TimedChunk> out = new ArrayList<>(full.size() + 1);
    out.addAll(full);
    TimedChunk open = openChunk();
    if (open != null) {
      out.add(open);
    }
    return out;
  }

  /** Appends every sample, in time order, with this series' reference, to {@code out}. */
  void samplesInto(RuleSamples out) {
    SampleIterator it = null;
    for (TimedChunk c : snapshot()) {
      it = c.chunk().iterator(it);
      for (ValueType type = it.next(); type != ValueType.NONE; type = it.next()) {
        if (type == ValueType.FLOAT) {
          out.add(ref, it.atT(), it.atV());
        } else {
          out.add(ref, it.atT(), Double.NaN, it.atFloatHistogram());
        }
      }
    }
  }

  /**
   * Keeps only the samples {@code [from, to)} of {@code all} (this series' samples) from {@code before} on; returns
   * whether none are left. Appends afterwards still may not go back before what was stored.
   */
  boolean keepFrom(long before, RuleSamples all, int from, int to) {
    full.clear();
    floats.reset();
    histograms.reset();
    long last = lastT;
    lastT = Long.MIN_VALUE;
    int kept = 0;
    for (int i = from; i < to; i++) {
      if (all.ts[i] >= before) {
        append(all, i);
        kept++;
      }
    }
    lastT = last;
    return kept == 0;
  }
}
