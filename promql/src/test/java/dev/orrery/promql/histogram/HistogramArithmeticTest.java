package dev.orrery.promql.histogram;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orrery.core.histogram.CounterResetHint;
import dev.orrery.core.histogram.FloatHistogram;
import dev.orrery.core.histogram.Histogram;
import dev.orrery.core.histogram.HistogramArithmetic;
import dev.orrery.core.histogram.Span;
import org.junit.jupiter.api.Test;

class HistogramArithmeticTest {
  private static FloatHistogram exp(int schema, double zeroThreshold, double zeroCount, int offset, double... b) {
    double count = zeroCount;
    for (double c : b) {
      count += c;
    }
    return new FloatHistogram(CounterResetHint.UNKNOWN, schema, zeroThreshold, zeroCount, count, count,
        new Span[] {new Span(offset, b.length)}, b, new Span[0], new double[0], new double[0]);
  }

  private static FloatHistogram nhcb(double[] bounds, double... b) {
    double count = 0;
    for (double c : b) {
      count += c;
    }
    return new FloatHistogram(CounterResetHint.UNKNOWN, Histogram.CUSTOM_BUCKETS_SCHEMA, 0, 0, count, count,
        new Span[] {new Span(0, b.length)}, b, new Span[0], new double[0], bounds);
  }

  @Test
  void addingMixedSchemasReducesToTheCoarserOne() {
    // Schema 1 buckets 1 and 2 fall into schema-0 bucket 1.
    HistogramArithmetic.Result r = HistogramArithmetic.add(exp(1, 0, 0, 1, 1, 2), exp(0, 0, 0, 1, 4));
    assertThat(r.value().schema()).isZero();
    assertThat(r.value().positiveBuckets()).containsExactly(7);
    assertThat(r.value().positiveSpans()).containsExactly(new Span(1, 1));
    assertThat(r.value().count()).isEqualTo(7);
  }

  @Test
  void subtractionToZeroCompactsAwayTheBuckets() {
    FloatHistogram h = exp(0, 0, 0, 0, 1, 2, 3);
    HistogramArithmetic.Result r = HistogramArithmetic.sub(h, h);
    assertThat(r.value().positiveBuckets()).isEmpty();
    assertThat(r.value().count()).isZero();
  }

  @Test
  void widerZeroBucketAbsorbsSmallBuckets() {
    // Bucket 0 of schema 0 is (0.5, 1]: inside a zero bucket of width 1.
    HistogramArithmetic.Result r = HistogramArithmetic.add(exp(0, 0.001, 1, 0, 2, 3), exp(0, 1, 4, 1, 5));
    assertThat(r.value().zeroThreshold()).isEqualTo(1);
    assertThat(r.value().zeroCount()).isEqualTo(7);
    assertThat(r.value().positiveBuckets()).containsExactly(8);
  }

  @Test
  void customBoundsAreReconciledToTheirIntersection() {
    HistogramArithmetic.Result r = HistogramArithmetic.add(nhcb(new double[] {5, 10}, 1, 2, 3),
        nhcb(new double[] {10}, 4, 5));
    assertThat(r.customBoundsReconciled()).isTrue();
    assertThat(r.value().customValues()).containsExactly(10);
    assertThat(r.value().positiveBuckets()).containsExactly(7, 8);
  }

  @Test
  void exponentialAndCustomBucketsAreIncompatible() {
    assertThat(HistogramArithmetic.add(exp(0, 0, 0, 0, 1), nhcb(new double[] {1}, 1)).incompatible()).isTrue();
  }

  @Test
  void divisionByZeroRemovesTheBuckets() {
    FloatHistogram h = HistogramArithmetic.divide(exp(0, 0, 0, 0, 1, 2), 0);
    assertThat(h.positiveBuckets()).isEmpty();
    assertThat(h.count()).isInfinite();
  }

  @Test
  void counterResetHintsCollideOnlyBetweenResetAndNotReset() {
    FloatHistogram reset = HistogramArithmetic.withHint(exp(0, 0, 0, 0, 1), CounterResetHint.COUNTER_RESET);
    FloatHistogram notReset = HistogramArithmetic.withHint(exp(0, 0, 0, 0, 1), CounterResetHint.NOT_COUNTER_RESET);
    FloatHistogram gauge = HistogramArithmetic.withHint(exp(0, 0, 0, 0, 1), CounterResetHint.GAUGE);
    assertThat(HistogramArithmetic.add(reset, notReset).counterResetCollision()).isTrue();
    assertThat(HistogramArithmetic.add(reset, gauge).counterResetCollision()).isFalse();
    assertThat(HistogramArithmetic.add(reset, gauge).value().counterResetHint()).isEqualTo(CounterResetHint.GAUGE);
  }

  @Test
  void quantileInterpolatesExponentiallyWithinABucket() {
    // One bucket (1, 2] with all observations: the median is at sqrt(2) on a log scale.
    HistogramQuantiles.QuantileResult q = HistogramQuantiles.quantile(0.5, exp(0, 0, 0, 1, 10));
    assertThat(q.value()).isCloseTo(Math.sqrt(2), org.assertj.core.data.Offset.offset(1e-12));
  }

  @Test
  void trimKeepsTheShareBelowTheCut() {
    FloatHistogram h = nhcb(new double[] {5, 10}, 0, 10, 0);
    FloatHistogram trimmed = HistogramTrim.trim(h, 7.5, true);
    assertThat(trimmed.count()).isEqualTo(5);
    assertThat(trimmed.sum()).isEqualTo(5 * 6.25);
  }

  @Test
  void kahanAccumulatorKeepsSmallValuesNextToHugeOnes() {
    HistogramAccumulator acc = new HistogramAccumulator(withSum(exp(0, 0, 0, 0, 1), 1));
    acc.add(withSum(exp(0, 0, 0, 0, 1), 1e100));
    acc.add(withSum(exp(0, 0, 0, 0, 1), 1));
    acc.add(withSum(exp(0, 0, 0, 0, 1), -1e100));
    assertThat(acc.sum().sum()).isEqualTo(2);
  }

  private static FloatHistogram withSum(FloatHistogram h, double sum) {
    return new FloatHistogram(h.counterResetHint(), h.schema(), h.zeroThreshold(), h.zeroCount(), h.count(), sum,
        h.positiveSpans(), h.positiveBuckets(), h.negativeSpans(), h.negativeBuckets(), h.customValues());
  }
}
