package dev.orrery.storeapi;

import dev.orrery.core.OrreryException;
import dev.orrery.core.OrreryException.ErrorCode;
import dev.orrery.core.labels.Labels;
import dev.orrery.core.labels.Matcher;
import dev.orrery.core.labels.SelectorParser;
import dev.orrery.core.rules.AlertStatus;
import dev.orrery.core.rules.AlertingRuleStatus;
import dev.orrery.core.rules.RecordingRuleStatus;
import dev.orrery.core.rules.RuleGroupStatus;
import dev.orrery.core.rules.RuleGroups;
import dev.orrery.core.rules.RuleStatus;
import dev.orrery.core.rules.RulesFilter;
import dev.orrery.core.storage.StoreOptions;
import dev.orrery.storeapi.proto.rules.Alert;
import dev.orrery.storeapi.proto.rules.AlertInstance;
import dev.orrery.storeapi.proto.rules.AlertState;
import dev.orrery.storeapi.proto.rules.RecordingRule;
import dev.orrery.storeapi.proto.rules.Rule;
import dev.orrery.storeapi.proto.rules.RuleGroup;
import dev.orrery.storeapi.proto.rules.RulesRequest;
import dev.orrery.storeapi.proto.rules.RulesResponse;
import dev.orrery.storeapi.proto.thanos.Label;
import dev.orrery.storeapi.proto.thanos.LabelSet;
import dev.orrery.storeapi.proto.thanos.PartialResponseStrategy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Conversions between the {@code thanos.Rules} wire messages and {@code core}'s rules model. What the wire lacks
 * (Prometheus 3's {@code query_offset}, an alert's {@code keepFiringSince}) is dropped; times not known yet travel as
 * Go's zero time, as Thanos sends them.
 */
public final class WireRules {
  private WireRules() {}

  /**
   * The request for {@code filter} with the options' partial response. Its label matchers are not sent: they are
   * PromQL selectors a store would have to parse, so the caller applies them to the answer.
   */
  public static RulesRequest request(RulesFilter filter, StoreOptions options) {
    RulesRequest.Type type = filter.type() == null ? RulesRequest.Type.ALL
        : filter.type().equals("alert") ? RulesRequest.Type.ALERT : RulesRequest.Type.RECORD;
    boolean partial = Boolean.TRUE.equals(options.partialResponse());
    return RulesRequest.newBuilder().setType(type)
        .setPartialResponseStrategy(partial ? PartialResponseStrategy.WARN : PartialResponseStrategy.ABORT)
        .addAllRuleName(filter.ruleNames()).addAllRuleGroup(filter.groupNames()).addAllFile(filter.files()).build();
  }

  /**
   * The filter a request asks for, its {@code matcher_string}s parsed by {@code selectors}: a rule passes when its
   * labels match every matcher of one of them, as Prometheus' {@code match[]}.
   *
   * @param selectors parses series selectors; {@code null} when none is available
   * @throws OrreryException {@code BAD_QUERY} for a matcher string that is not a selector; {@code UNSUPPORTED} for
   *     matcher strings without {@code selectors}
   */
  public static RulesFilter filter(RulesRequest request, @Nullable SelectorParser selectors) {
    List<List<Matcher>> matcherSets = new ArrayList<>(request.getMatcherStringCount());
    for (String selector : request.getMatcherStringList()) {
      if (selectors == null) {
        throw new OrreryException(ErrorCode.UNSUPPORTED, "label matchers on rules (match[]) are not supported by "
            + "this server: " + request.getMatcherStringList());
      }
      try {
        matcherSets.add(selectors.parse(selector));
      } catch (RuntimeException e) {
        throw new OrreryException(ErrorCode.BAD_QUERY, "invalid matcher_string " + selector + ": " + e.getMessage(),
            e);
      }
    }
    String type = switch (request.getType()) {
      case ALERT -> "alert";
      case RECORD -> "record";
      default -> null;
    };
    return new RulesFilter(type, request.getRuleNameList(), request.getRuleGroupList(), request.getFileList(),
        matcherSets);
  }

  /** The store options a request asks for: partial response under {@code WARN}. */
  public static StoreOptions options(RulesRequest request) {
    return new StoreOptions(null, null, request.getPartialResponseStrategy() == PartialResponseStrategy.WARN, null);
  }

  /** The frames answering a request: one per group, then one per warning. */
  public static List<RulesResponse> responses(RuleGroups groups) {
    List<RulesResponse> out = new ArrayList<>(groups.groups().size() + groups.warnings().size());
    for (RuleGroupStatus g : groups.groups()) {
      out.add(RulesResponse.newBuilder().setGroup(toProto(g)).build());
    }
    for (String w : groups.warnings()) {
      out.add(RulesResponse.newBuilder().setWarning(w).build());
    }
    return out;
  }

  /** Adds one received frame: its group to {@code groups}, or its warning to {@code warnings}. */
  public static void addTo(List<RuleGroupStatus> groups, List<String> warnings, RulesResponse response) {
    switch (response.getResultCase()) {
      case GROUP -> groups.add(fromProto(response.getGroup()));
      case WARNING -> warnings.add(response.getWarning());
      case RESULT_NOT_SET -> { }
    }
  }

  /** A group on the wire. */
  public static RuleGroup toProto(RuleGroupStatus g) {
    RuleGroup.Builder b = RuleGroup.newBuilder().setName(g.name()).setFile(g.file())
        .setInterval(seconds(g.interval())).setEvaluationDurationSeconds(seconds(g.evaluationTime()))
        .setLastEvaluation(WireTimes.timestamp(g.lastEvaluation())).setLimit(g.limit());
    if (g.partialResponseStrategy() != null) {
      b.setPartialResponseStrategy(PartialResponseStrategy.valueOf(g.partialResponseStrategy()));
    }
    for (RuleStatus r : g.rules()) {
      b.addRules(switch (r) {
        case AlertingRuleStatus a -> Rule.newBuilder().setAlert(Alert.newBuilder().setState(state(a.state()))
            .setName(a.name()).setQuery(a.query()).setDurationSeconds(seconds(a.duration()))
            .setLabels(WireLabels.toPlainLabelSet(a.labels()))
            .setAnnotations(WireLabels.toPlainLabelSet(Labels.of(a.annotations())))
            .addAllAlerts(a.alerts().stream().map(WireRules::toProto).toList()).setHealth(a.health())
            .setLastError(a.lastError()).setEvaluationDurationSeconds(seconds(a.evaluationTime()))
            .setLastEvaluation(WireTimes.timestamp(a.lastEvaluation()))
            .setKeepFiringForSeconds(seconds(a.keepFiringFor())))
            .build();
        case RecordingRuleStatus rr -> Rule.newBuilder().setRecording(RecordingRule.newBuilder().setName(rr.name())
            .setQuery(rr.query()).setLabels(WireLabels.toPlainLabelSet(rr.labels())).setHealth(rr.health())
            .setLastError(rr.lastError()).setEvaluationDurationSeconds(seconds(rr.evaluationTime()))
            .setLastEvaluation(WireTimes.timestamp(rr.lastEvaluation()))).build();
      });
    }
    return b.build();
  }

  private static AlertInstance toProto(AlertStatus a) {
    return AlertInstance.newBuilder().setLabels(WireLabels.toPlainLabelSet(a.labels()))
        .setAnnotations(WireLabels.toPlainLabelSet(Labels.of(a.annotations()))).setState(state(a.state()))
        .setActiveAt(WireTimes.timestamp(a.activeAt())).setValue(a.value()).build();
  }

  /** A group from the wire. */
  public static RuleGroupStatus fromProto(RuleGroup g) {
    List<RuleStatus> rules = new ArrayList<>(g.getRulesCount());
    for (Rule r : g.getRulesList()) {
      switch (r.getResultCase()) {
        case ALERT -> {
          Alert a = r.getAlert();
          List<AlertStatus> alerts = new ArrayList<>(a.getAlertsCount());
          for (AlertInstance i : a.getAlertsList()) {
            alerts.add(new AlertStatus(labels(i.getLabels()), map(i.getAnnotations()), state(i.getState()),
                WireTimes.instant(i.getActiveAt()), null, i.getValue()));
          }
          rules.add(new AlertingRuleStatus(state(a.getState()), a.getName(), a.getQuery(),
              duration(a.getDurationSeconds()), duration(a.getKeepFiringForSeconds()), labels(a.getLabels()),
              map(a.getAnnotations()), alerts, a.getHealth(), a.getLastError(),
              duration(a.getEvaluationDurationSeconds()), WireTimes.instant(a.getLastEvaluation())));
        }
        case RECORDING -> {
          RecordingRule rr = r.getRecording();
          rules.add(new RecordingRuleStatus(rr.getName(), rr.getQuery(), labels(rr.getLabels()), rr.getHealth(),
              rr.getLastError(), duration(rr.getEvaluationDurationSeconds()),
              WireTimes.instant(rr.getLastEvaluation())));
        }
        case RESULT_NOT_SET -> { }
      }
    }
    return new RuleGroupStatus(g.getName(), g.getFile(), rules, duration(g.getInterval()), g.getLimit(),
        Duration.ZERO, g.getPartialResponseStrategy().name(), duration(g.getEvaluationDurationSeconds()),
        WireTimes.instant(g.getLastEvaluation()));
  }

  private static AlertState state(String s) {
    return switch (s) {
      case "firing" -> AlertState.FIRING;
      case "pending" -> AlertState.PENDING;
      default -> AlertState.INACTIVE;
    };
  }

  private static String state(AlertState s) {
    return s == AlertState.UNRECOGNIZED ? "inactive" : s.name().toLowerCase(Locale.ROOT);
  }

  private static Labels labels(LabelSet set) {
    return WireLabels.toLabels(set.getLabelsList());
  }

  private static Map<String, String> map(LabelSet set) {
    Map<String, String> out = new TreeMap<>();
    for (Label l : set.getLabelsList()) {
      out.put(l.getName(), l.getValue());
    }
    return out;
  }

  private static double seconds(Duration d) {
    return d.toNanos() / 1e9;
  }

  private static Duration duration(double seconds) {
    return Duration.ofNanos(Math.round(seconds * 1e9));
  }
}
