package dev.orrery.core.dedup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orrery.core.chunk.SampleIterator;
import dev.orrery.core.chunk.ValueType;
import dev.orrery.core.testing.FloatArrayIterator;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PenaltySampleIteratorTest {
  static List<long[]> drain(SampleIterator it) {
    List<long[]> out = new ArrayList<>();
    while (it.next() != ValueType.NONE) {
      out.add(new long[] {it.atT(), (long) it.atV()});
    }
    return out;
  }

  static List<Long> times(SampleIterator it) {
    List<Long> out = new ArrayList<>();
    while (it.next() != ValueType.NONE) {
      out.add(it.atT());
    }
    return out;
  }

  @Test
  void identicalReplicasGiveOneCopy() {
    SampleIterator m = PenaltySampleIterator.merge(List.of(FloatArrayIterator.every(0, 15000, 150000, 1, 1),
        FloatArrayIterator.every(0, 15000, 150000, 1, 1)), false);
    assertThat(times(m)).containsExactlyElementsOf(times(FloatArrayIterator.every(0, 15000, 150000, 1, 1)));
  }

  @Test
  void staysOnOneReplicaWhenBothScrapeAtOffsets() {
    // B scrapes 5s after A: the output keeps A's timestamps only.
    SampleIterator m = PenaltySampleIterator.merge(List.of(FloatArrayIterator.every(0, 15000, 300000, 1, 1),
        FloatArrayIterator.every(5000, 15000, 305000, 100, 1)), false);
    assertThat(times(m)).containsExactlyElementsOf(times(FloatArrayIterator.every(0, 15000, 300000, 1, 1)));
  }

  @Test
  void switchesToTheOtherReplicaOverAGap() {
    // A is down between 60s and 300s; B fills the gap at its own timestamps, then the output stays on B.
    FloatArrayIterator a = new FloatArrayIterator(new long[] {0, 15000, 30000, 45000, 60000, 300000, 315000},
        new double[] {0, 1, 2, 3, 4, 20, 21});
    FloatArrayIterator b = FloatArrayIterator.every(5000, 15000, 320000, 0, 1);
    List<Long> got = times(PenaltySampleIterator.merge(List.of(a, b), false));
    assertThat(got).startsWith(0L, 15000L, 30000L, 45000L, 60000L);
    // B carries a penalty of twice the last gap (2 * 15s) while A is chosen: after A's 60s sample the next output
    // is B's first sample at or after 60s + 1ms + 30s, i.e. 95s, then B's cadence.
    assertThat(got.get(5)).isEqualTo(95000L);
    assertThat(got).contains(290000L, 305000L, 320000L).doesNotContain(300000L, 315000L);
    // No two outputs closer than the scrape interval minus the replicas' offset.
    for (int i = 1; i < got.size(); i++) {
      assertThat(got.get(i) - got.get(i - 1)).isGreaterThanOrEqualTo(5000L);
    }
  }

  @Test
  void counterAdjustmentHidesALaggingReplicasReset() {
    // A counts 100, 101, ... then stops; B restarted earlier and is 50 lower.
    FloatArrayIterator a = FloatArrayIterator.every(0, 15000, 60000, 100, 1);
    FloatArrayIterator b = FloatArrayIterator.every(5000, 15000, 200000, 54, 1);
    SampleIterator m = PenaltySampleIterator.merge(List.of(a, b), true);
    double prev = Double.NEGATIVE_INFINITY;
    int n = 0;
    while (m.next() != ValueType.NONE) {
      assertThat(m.atV()).isGreaterThanOrEqualTo(prev);
      prev = m.atV();
      n++;
    }
    assertThat(n).isGreaterThan(5);
    // Without adjustment the switch shows a drop.
    SampleIterator raw = PenaltySampleIterator.merge(List.of(FloatArrayIterator.every(0, 15000, 60000, 100, 1),
        FloatArrayIterator.every(5000, 15000, 200000, 54, 1)), false);
    List<long[]> samples = drain(raw);
    boolean dropped = false;
    for (int i = 1; i < samples.size(); i++) {
      dropped |= samples.get(i)[1] < samples.get(i - 1)[1];
    }
    assertThat(dropped).isTrue();
  }

  @Test
  void firstDecisionAdjustsBAgainstAsFirstValue() {
    // B's first sample is earlier and lower than A's first: B is raised to A's first value (9.3 literal reading).
    FloatArrayIterator a = new FloatArrayIterator(new long[] {10000}, new double[] {100});
    FloatArrayIterator b = new FloatArrayIterator(new long[] {0, 40000}, new double[] {40, 41});
    SampleIterator m = PenaltySampleIterator.merge(List.of(a, b), true);
    assertThat(m.next()).isEqualTo(ValueType.FLOAT);
    assertThat(m.atT()).isZero();
    assertThat(m.atV()).isEqualTo(100.0);
  }

  @Test
  void threeReplicasFoldPairwise() {
    SampleIterator m = PenaltySampleIterator.merge(List.of(new FloatArrayIterator(new long[] {0}, new double[] {1}),
        new FloatArrayIterator(new long[] {20000}, new double[] {2}), new FloatArrayIterator(new long[] {40000, 100000}, new double[] {3, 4})),
        false);
    // 40s falls inside r2's penalty window (last gap 20s doubled after 20s); 100s is past it.
    assertThat(times(m)).containsExactly(0L, 20000L, 100000L);
  }

  @Test
  void seekStepsThroughNext() {
    SampleIterator m = PenaltySampleIterator.merge(List.of(FloatArrayIterator.every(0, 15000, 150000, 1, 1),
        FloatArrayIterator.every(5000, 15000, 155000, 1, 1)), false);
    assertThat(m.seek(50000)).isEqualTo(ValueType.FLOAT);
    assertThat(m.atT()).isEqualTo(60000L);
    assertThat(m.seek(10)).isEqualTo(ValueType.FLOAT);
    assertThat(m.atT()).isEqualTo(60000L);
    assertThat(m.seek(1_000_000)).isEqualTo(ValueType.NONE);
  }

  @Test
  void staleNaNKeepsItsBitsWithoutAdjustment() {
    double stale = Double.longBitsToDouble(0x7ff0000000000002L);
    SampleIterator m = PenaltySampleIterator.merge(List.of(new FloatArrayIterator(new long[] {0}, new double[] {stale}),
        new FloatArrayIterator(new long[] {0}, new double[] {stale})), true);
    m.next();
    assertThat(Double.doubleToRawLongBits(m.atV())).isEqualTo(0x7ff0000000000002L);
  }

  @Test
  void emptyListIsRejected() {
    assertThatThrownBy(() -> PenaltySampleIterator.merge(List.of(), false))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void overlapSplitStartsANewListOnOverlap() {
    long[] min = {0, 0, 100, 100, 250};
    long[] max = {99, 99, 199, 199, 300};
    int[] list = new int[5];
    assertThat(OverlapSplit.assign(min, max, 5, list)).isEqualTo(2);
    assertThat(list).containsExactly(0, 1, 0, 1, 0);
  }
}
