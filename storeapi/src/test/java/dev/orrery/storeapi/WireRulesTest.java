package dev.orrery.storeapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orrery.core.OrreryException;
import dev.orrery.core.labels.Labels;
import dev.orrery.core.labels.Matcher;
import dev.orrery.core.labels.SelectorParser;
import dev.orrery.core.rules.AlertStatus;
import dev.orrery.core.rules.AlertingRuleStatus;
import dev.orrery.core.rules.RecordingRuleStatus;
import dev.orrery.core.rules.RuleGroupStatus;
import dev.orrery.core.rules.RuleGroups;
import dev.orrery.core.rules.RulesFilter;
import dev.orrery.core.storage.StoreOptions;
import dev.orrery.storeapi.proto.rules.RulesRequest;
import dev.orrery.storeapi.proto.rules.RulesResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WireRulesTest {
  static final Instant T = Instant.parse("2026-11-26T10:00:00.123456789Z");

  @Test
  void groupsSurviveTheWire() {
    RuleGroupStatus group = new RuleGroupStatus("g", "/etc/rules.yml", List.of(
        new AlertingRuleStatus("firing", "Down", "up == 0", Duration.ofMinutes(5), Duration.ofSeconds(30),
            Labels.of("severity", "page"), Map.of("summary", "{{ $labels.instance }} down"),
            List.of(new AlertStatus(Labels.of("alertname", "Down", "instance", "a"), Map.of("summary", "a down"),
                "firing", T.minusSeconds(600), null, "0e+00")),
            "ok", "", Duration.ofNanos(1_234_000), T),
        new RecordingRuleStatus("job:up:sum", "sum by (job) (up)", Labels.of(), "err", "boom", Duration.ZERO,
            null)),
        Duration.ofSeconds(15), 10, Duration.ZERO, "WARN", Duration.ofMillis(7), T);
    List<RulesResponse> frames = WireRules.responses(new RuleGroups(List.of(group), List.of("store x failed")));
    assertThat(frames).hasSize(2);
    List<RuleGroupStatus> groups = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    frames.forEach(f -> WireRules.addTo(groups, warnings, f));
    assertThat(groups).containsExactly(group);
    assertThat(warnings).containsExactly("store x failed");
    // A time not known yet travels as Go's zero time.
    assertThat(frames.get(0).getGroup().getRules(1).getRecording().getLastEvaluation().getSeconds())
        .isEqualTo(WireTimes.GO_ZERO_TIME_SECONDS);
  }

  @Test
  void requestsCarryFiltersAndStrategy() {
    RulesFilter filter = new RulesFilter("record", List.of("r"), List.of("g"), List.of("f.yml"));
    RulesRequest request = WireRules.request(filter, new StoreOptions(null, null, true, null));
    assertThat(WireRules.filter(request, null)).isEqualTo(filter);
    assertThat(WireRules.options(request).partialResponse()).isTrue();
    assertThat(WireRules.options(WireRules.request(RulesFilter.ALL, StoreOptions.NONE)).partialResponse()).isFalse();
    assertThat(WireRules.request(new RulesFilter(null, List.of(), List.of(), List.of(),
        List.of(List.of(Matcher.equal("severity", "page")))), StoreOptions.NONE)
        .getMatcherStringCount()).as("matchers apply to the answer, they do not travel").isZero();
  }

  /** What a Thanos querier sends for {@code match[]}: each string one selector, any of which a rule may match. */
  @Test
  void matcherStringsBecomeMatcherSetsWhenTheServerCanParseThem() {
    RulesRequest request = RulesRequest.newBuilder().addMatcherString("{severity=\"page\"}")
        .addMatcherString("{team=~\"db.*\"}").build();
    // A stand-in for the PromQL parser: name, operator and quoted value of a one-matcher selector.
    SelectorParser selectors = text -> {
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\{(\\w+)(=~|=)\"(.*)\"}").matcher(text);
      if (!m.matches()) {
        throw new IllegalArgumentException("unexpected character in selector");
      }
      return List.of(m.group(2).equals("=") ? Matcher.equal(m.group(1), m.group(3))
          : Matcher.regex(m.group(1), m.group(3)));
    };
    assertThat(WireRules.filter(request, selectors).matcherSets()).containsExactly(
        List.of(Matcher.equal("severity", "page")), List.of(Matcher.regex("team", "db.*")));
    assertThatThrownBy(() -> WireRules.filter(request, null))
        .isInstanceOf(OrreryException.class).hasMessageContaining("not supported")
        .extracting(e -> ((OrreryException) e).code()).isEqualTo(OrreryException.ErrorCode.UNSUPPORTED);
    assertThatThrownBy(() -> WireRules.filter(RulesRequest.newBuilder().addMatcherString("{severity").build(),
        selectors)).isInstanceOf(OrreryException.class)
        .hasMessage("invalid matcher_string {severity: unexpected character in selector")
        .extracting(e -> ((OrreryException) e).code()).isEqualTo(OrreryException.ErrorCode.BAD_QUERY);
  }
}
