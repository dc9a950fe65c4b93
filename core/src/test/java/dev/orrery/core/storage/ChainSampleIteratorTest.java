package dev.orrery.core.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orrery.core.chunk.SampleIterator;
import dev.orrery.core.chunk.ValueType;
import dev.orrery.core.testing.BulkReads;
import dev.orrery.core.testing.FloatArrayIterator;
import dev.orrery.core.testing.Properties;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The chain of one series' sources agrees with a naive merge (first source wins a shared timestamp). */
class ChainSampleIteratorTest {
  static long[][] randomSources(SplittableRandom r, int n) {
    long[][] out = new long[n][];
    long base = r.nextInt(100);
    for (int s = 0; s < n; s++) {
      // Adjacent blocks (disjoint) most of the time, overlapping replicas sometimes.
      boolean overlap = r.nextInt(3) == 0;
      long start = overlap ? base + r.nextInt(-20, 20) : base;
      int len = r.nextInt(0, 40);
      long[] t = new long[len];
      long ts = start;
      for (int i = 0; i < len; i++) {
        ts += 1 + r.nextInt(3);
        t[i] = ts;
      }
      out[s] = t;
      base = len > 0 ? t[len - 1] + 1 : base;
    }
    return out;
  }

  static SampleIterator chain(long[][] sources) {
    SampleIterator[] its = new SampleIterator[sources.length];
    for (int s = 0; s < sources.length; s++) {
      double[] v = new double[sources[s].length];
      java.util.Arrays.fill(v, s);
      its[s] = new FloatArrayIterator(sources[s], v);
    }
    return new ChainSampleIterator(its);
  }

  static TreeMap<Long, Double> naive(long[][] sources) {
    TreeMap<Long, Double> m = new TreeMap<>();
    for (int s = 0; s < sources.length; s++) {
      for (long t : sources[s]) {
        m.putIfAbsent(t, (double) s);
      }
    }
    return m;
  }

  @Test
  void nextAgreesWithANaiveMerge() {
    Properties.check("chainNext", 500, r -> {
      long[][] sources = randomSources(r, 1 + r.nextInt(5));
      List<String> got = new ArrayList<>();
      SampleIterator it = chain(sources);
      while (it.next() != ValueType.NONE) {
        got.add(it.atT() + "=" + it.atV());
      }
      List<String> want = new ArrayList<>();
      naive(sources).forEach((t, v) -> want.add(t + "=" + v));
      assertThat(got).isEqualTo(want);
    });
  }

  @Test
  void bulkReadsAgreeWithNext() {
    Properties.check("chainBulk", 500, r -> {
      long[][] sources = randomSources(r, 1 + r.nextInt(5));
      BulkReads.assertBulkAgreesWithNext(() -> chain(sources), r);
    });
  }

  @Test
  void seekThenNextAgreesWithANaiveMerge() {
    Properties.check("chainSeek", 500, r -> {
      long[][] sources = randomSources(r, 1 + r.nextInt(5));
      TreeMap<Long, Double> want = naive(sources);
      SampleIterator it = chain(sources);
      long target = r.nextInt(0, 250);
      List<Long> got = new ArrayList<>();
      for (ValueType vt = it.seek(target); vt != ValueType.NONE; vt = it.next()) {
        got.add(it.atT());
      }
      assertThat(got).isEqualTo(new ArrayList<>(want.tailMap(target, true).keySet()));
    });
  }
}
