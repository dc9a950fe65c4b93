package dev.orrery.promql.function;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MathFunctionsTest {
  @Test
  void exp2IsExactOnIntegersAndWithinAnUlpOfTheTrueValueElsewhere() {
    for (int k = -1074; k <= 1023; k++) {
      assertThat(MathFunctions.exp2(k)).as("2^%d", k).isEqualTo(Math.scalb(1.0, k));
    }
    assertThat(MathFunctions.exp2(Double.NaN)).isNaN();
    assertThat(MathFunctions.exp2(Double.POSITIVE_INFINITY)).isEqualTo(Double.POSITIVE_INFINITY);
    assertThat(MathFunctions.exp2(Double.NEGATIVE_INFINITY)).isZero();
    assertThat(MathFunctions.exp2(1024)).isEqualTo(Double.POSITIVE_INFINITY);
    assertThat(MathFunctions.exp2(-1075)).isZero();
    java.util.SplittableRandom r = new java.util.SplittableRandom(7);
    for (int i = 0; i < 100_000; i++) {
      double x = r.nextDouble(-60, 60);
      double want = StrictMath.pow(2, x);
      assertThat(Math.abs(MathFunctions.exp2(x) - want)).as("2^%s", x).isLessThanOrEqualTo(Math.ulp(want));
    }
  }
}
