package dev.orrery.promql.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orrery.core.labels.Matcher;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class HttpApiParametersTest {

  @ParameterizedTest
  @CsvSource({
      "1704067200, 1704067200000",
      "1704067200.123, 1704067200123",
      "1704067200.1235, 1704067200124",
      "1704067200.9996, 1704067201000",
      "0.001, 1",
      "-1.5, -1500",
      "-0.0004, 0",
      "1e9, 1000000000000",
      "+12, 12000",
      "2024-01-01T00:00:00Z, 1704067200000",
      "2024-01-01T00:00:00.1Z, 1704067200100",
      "2024-01-01T00:00:00.123456789Z, 1704067200123",
      "2024-01-01T01:00:00+01:00, 1704067200000",
      "2023-12-31T19:30:00.5-04:30, 1704067200500",
      "-292273086-05-16T16:47:06Z, -9223309901257974000",
      "292277025-08-18T07:12:54.999999999Z, 9223309901257974999"})
  void parsesUnixSecondsAndRfc3339(String text, long millis) {
    assertThat(ApiParameters.parseTime(text)).isEqualTo(millis);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "abc", "2024-01-01", "2024-01-01T00:00Z", "2024-01-01 00:00:00Z", "1d", " 1",
      "2024-13-01T00:00:00Z", "2024-01-01T24:00:00Z", "NaN", "Inf", "1_000", "0x1p3x"})
  void rejectsOtherTimes(String text) {
    assertThatThrownBy(() -> ApiParameters.parseTime(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("cannot parse \"" + text + "\" to a valid timestamp");
  }

  @Test
  void timeParamDefaultsAndWrapsErrorsAsPrometheus() {
    assertThat(ApiParameters.parseTimeParam("time", null, 42)).isEqualTo(42);
    assertThat(ApiParameters.parseTimeParam("time", "", 42)).isEqualTo(42);
    assertThatThrownBy(() -> ApiParameters.parseTimeParam("start", "x", 0))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.type()).isEqualTo(ApiErrorType.BAD_DATA))
        .hasMessage("invalid parameter \"start\": Invalid time value for 'start': cannot parse \"x\" to a valid "
            + "timestamp");
  }

  @ParameterizedTest
  @CsvSource({
      "15, 15000000000",
      "0.5, 500000000",
      "1.5e-3, 1500000",
      "-60, -60000000000",
      "0, 0",
      "1m30s, 90000000000",
      "1h, 3600000000000",
      "5m0s, 300000000000",
      "1d2h, 93600000000000",
      "1w, 604800000000000",
      "1y, 31536000000000000",
      "250ms, 250000000",
      "1s500ms, 1500000000"})
  void parsesFloatSecondsAndPrometheusDurations(String text, long nanos) {
    assertThat(ApiParameters.parseDuration(text)).isEqualTo(nanos);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "1.5m", "-1m", "1m1h", "1h1h", "m", "1x", " 1s", "1S"})
  void rejectsOtherDurations(String text) {
    assertThatThrownBy(() -> ApiParameters.parseDuration(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("cannot parse \"" + text + "\" to a valid duration");
  }

  @Test
  void floatDurationsThatOverflowSayWhy() {
    assertThatThrownBy(() -> ApiParameters.parseDuration("1e300"))
        .hasMessage("cannot parse \"1e300\" to a valid duration. It overflows int64");
    assertThatThrownBy(() -> ApiParameters.parseDuration("300y"))
        .hasMessage("cannot parse \"300y\" to a valid duration");
  }

  @Test
  void limitIsANonNegativeInteger() {
    assertThat(ApiParameters.parseLimit(null)).isZero();
    assertThat(ApiParameters.parseLimit("")).isZero();
    assertThat(ApiParameters.parseLimit("10")).isEqualTo(10);
    assertThatThrownBy(() -> ApiParameters.parseLimit("-1"))
        .hasMessage("invalid parameter \"limit\": limit must be non-negative");
    assertThatThrownBy(() -> ApiParameters.parseLimit("ten"))
        .hasMessage("invalid parameter \"limit\": strconv.Atoi: parsing \"ten\": invalid syntax");
    assertThatThrownBy(() -> ApiParameters.parseLimit("99999999999"))
        .hasMessage("invalid parameter \"limit\": strconv.Atoi: parsing \"99999999999\": value out of range");
  }

  @Test
  void matcherSetsNeedOneMatcherThatRejectsTheEmptyString() {
    List<List<Matcher>> sets = ApiParameters.parseMatcherSets(List.of("up", "{job=~\"a.*\", x=\"\"}"));
    assertThat(sets).hasSize(2);
    assertThat(sets.get(0)).containsExactly(Matcher.equal("__name__", "up"));
    assertThatThrownBy(() -> ApiParameters.parseMatcherSets(List.of("{job=~\".*\"}")))
        .hasMessage("match[] must contain at least one non-empty matcher");
    assertThatThrownBy(() -> ApiParameters.parseMatcherSets(List.of("up{")))
        .hasMessageContaining("parse error");
  }

  @Test
  void floatTimesRoundTheFractionToMillisecondsAsGoDoes() {
    // math.Modf + math.Round(frac*1000)/1000, then time.Unix normalisation.
    assertThat(ApiParameters.unixSecondsToMillis(1.0015)).isEqualTo(1002);
    assertThat(ApiParameters.unixSecondsToMillis(-1.0015)).isEqualTo(-1002);
    // 1.0005 is 1.000499999... as a double: the fraction rounds down.
    assertThat(ApiParameters.unixSecondsToMillis(1.0005)).isEqualTo(1000);
    assertThat(ApiParameters.unixSecondsToMillis(1704067200.0004999)).isEqualTo(1704067200000L);
  }
}
