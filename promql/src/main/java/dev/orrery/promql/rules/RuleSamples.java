package dev.orrery.promql.rules;

import dev.orrery.core.histogram.FloatHistogram;
import java.util.Arrays;

/**
 * Samples of the ruler's storage in parallel arrays, each with its series' WAL reference: a float value, or a native
 * histogram ({@code hs[i] != null}). Confined to one thread.
 */
final class RuleSamples {
  long[] refs = new long[16];
  long[] ts = new long[16];
  double[] vs = new double[16];
  FloatHistogram[] hs = new FloatHistogram[16];
  int count;

  void add(long ref, long t, double v) {
    add(ref, t, v, null);
  }

  void add(long ref, long t, double v, FloatHistogram h) {
    if (count == ts.length) {
      refs = Arrays.copyOf(refs, count * 2);
      ts = Arrays.copyOf(ts, count * 2);
      vs = Arrays.copyOf(vs, count * 2);
      hs = Arrays.copyOf(hs, count * 2);
    }
    refs[count] = ref;
    ts[count] = t;
    vs[count] = v;
    hs[count] = h;
    count++;
  }

  void clear() {
    Arrays.fill(hs, 0, count, null);
    count = 0;
  }
}
