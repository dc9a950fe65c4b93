package dev.orrery.core.io;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GoFloatTest {
  // Expected strings are what Go's fmt %g prints (seen in promtool tsdb dump output).
  @ParameterizedTest
  @CsvSource({"639966,639966", "1502016,1.502016e+06", "1502210,1.50221e+06", "1,1", "0.5,0.5",
      "0.0001,0.0001", "0.00001,1e-05", "0.000015,1.5e-05", "100000,100000", "1000000,1e+06", "-2.5,-2.5",
      "123456789,1.23456789e+08", "1e21,1e+21", "36.6,36.6", "1e-300,1e-300", "0,0"})
  void formatsLikeGo(double v, String expected) {
    assertThat(GoFloat.formatG(v)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({"NaN,NaN", "Infinity,+Inf", "-Infinity,-Inf"})
  void specialValues(double v, String expected) {
    assertThat(GoFloat.formatG(v)).isEqualTo(expected);
  }
}
