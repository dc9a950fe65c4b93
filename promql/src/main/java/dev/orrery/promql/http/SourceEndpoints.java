package dev.orrery.promql.http;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.orrery.core.OrreryException;
import dev.orrery.core.labels.Matcher;
import dev.orrery.core.rules.AlertStatus;
import dev.orrery.core.rules.RuleGroupStatus;
import dev.orrery.core.rules.RuleGroups;
import dev.orrery.core.rules.RuleGroupsSource;
import dev.orrery.core.rules.RulesFilter;
import dev.orrery.core.storage.ExemplarQuery;
import dev.orrery.core.storage.ExemplarSet;
import dev.orrery.core.storage.ExemplarSource;
import dev.orrery.core.storage.MetricMetadata;
import dev.orrery.core.storage.MetricMetadataSet;
import dev.orrery.core.storage.MetricMetadataSource;
import dev.orrery.core.storage.StoreStatus;
import dev.orrery.core.storage.StoreStatusSource;
import dev.orrery.core.targets.TargetDiscovery;
import dev.orrery.core.targets.TargetsSource;
import dev.orrery.promql.http.PrometheusApiHandler.Params;
import dev.orrery.promql.http.PrometheusApiHandler.Reply;
import dev.orrery.promql.parser.PromqlParseException;
import dev.orrery.promql.parser.PromqlParser;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The endpoints of {@link PrometheusApiHandler} that answer from sources other than series: {@code /api/v1/rules}
 * and {@code /api/v1/alerts} (a {@link RuleGroupsSource}), {@code /api/v1/metadata} (a {@link
 * MetricMetadataSource}), {@code /api/v1/query_exemplars} (an {@link ExemplarSource}) and {@code /api/v1/targets}
 * (a {@link TargetsSource}) and Thanos' {@code /api/v1/stores} (a {@link StoreStatusSource}). A source that fails is an
 * {@code internal} error, as in Thanos' querier; its partial-response warnings go into the answer.
 */
final class SourceEndpoints {
  private final RuleGroupsSource rules;
  private final MetricMetadataSource metadata;
  private final ExemplarSource exemplars;
  private final TargetsSource targets;
  private final StoreStatusSource stores;

  SourceEndpoints(RuleGroupsSource rules, MetricMetadataSource metadata, ExemplarSource exemplars,
      TargetsSource targets, StoreStatusSource stores) {
    this.rules = rules;
    this.metadata = metadata;
    this.exemplars = exemplars;
    this.targets = targets;
    this.stores = stores;
  }

  // Thanos' /api/v1/stores: the querier's endpoints by component type, with their health.
  Reply stores() {
    List<StoreStatus> statuses = stores.storeStatuses();
    return new Reply(json -> StoresJson.write(json, statuses), List.of(), List.of());
  }

  // /api/v1/targets: state is active, dropped or any (the default).
  Reply targets(Params p) {
    String state = p.first("state", "").toLowerCase(java.util.Locale.ROOT);
    if (!state.isEmpty() && !state.equals("any") && !state.equals("active") && !state.equals("dropped")) {
      throw ApiException.invalidParameter("state", "must be one of active, dropped or any: " + state);
    }
    TargetDiscovery found;
    try {
      found = targets.targets(state.isEmpty() || state.equals("any") ? null : state,
          PrometheusApiHandler.storeOptions(p));
    } catch (OrreryException e) {
      throw new ApiException(ApiErrorType.INTERNAL, "retrieving targets: " + e.getMessage(), e);
    }
    return new Reply(json -> TargetsJson.write(json, found), found.warnings(), List.of());
  }

  // Prometheus 3's /api/v1/rules: groups left without rules by the filters are not shown; group_limit pages through
  // the groups, group_next_token (the SHA-1 of "file;name" of the first group of the next page) continues;
  // exclude_alerts leaves the alerting rules' alerts out.
  Reply rules(Params p) {
    String type = p.first("type");
    if (type != null && !type.equals("alert") && !type.equals("record")) {
      throw ApiException.badData("invalid query parameter type='" + type + "', must be one of 'alert' or 'record'");
    }
    int limit = groupLimit(p);
    boolean excludeAlerts = Boolean.TRUE.equals(PrometheusApiHandler.bool(p, "exclude_alerts"));
    String token = p.first("group_next_token", "");
    RuleGroups groups = ruleGroups(new RulesFilter(type, p.all("rule_name[]"), p.all("rule_group[]"), p.all("file[]"),
        PrometheusApiHandler.matcherSetsOrBadData(p.all("match[]"))), p);
    List<RuleGroupStatus> shown = new ArrayList<>();
    String nextToken = null;
    boolean found = token.isEmpty();
    for (RuleGroupStatus g : groups.groups()) {
      if (!found) {
        if (!token.equals(nextToken(g))) {
          continue;
        }
        found = true;
      }
      if (g.rules().isEmpty()) {
        continue;
      }
      if (limit > 0 && shown.size() == limit) {
        nextToken = nextToken(g);
        break;
      }
      shown.add(g);
    }
    if (!found) {
      throw ApiException.badData("invalid group_next_token '" + token + "'. were rule groups changed?");
    }
    String next = nextToken;
    return new Reply(json -> RuleGroupsJson.writeGroups(json, shown, next, excludeAlerts), groups.warnings(),
        List.of());
  }


  private static int groupLimit(Params p) {
    String limit = p.first("group_limit", "");
    if (limit.isEmpty()) {
      if (!p.first("group_next_token", "").isEmpty()) {
        throw ApiException.invalidParameter("group_next_token",
            "group_limit needs to be present in order to paginate over the groups");
      }
      return 0;
    }
    int n;
    try {
      n = Integer.parseInt(limit);
    } catch (NumberFormatException e) {
      throw ApiException.invalidParameter("group_limit", "group_limit needs to be a valid number: " + limit);
    }
    if (n <= 0) {
      throw ApiException.invalidParameter("group_limit", "group_limit needs to be greater than 0");
    }
    return n;
  }

  /** Prometheus' page token of a group: the hex SHA-1 of {@code file;name}. */
  static String nextToken(RuleGroupStatus g) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1")
          .digest((g.file() + ";" + g.name()).getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-1", e);
    }
  }

  Reply alerts(Params p) {
    RuleGroups groups = ruleGroups(new RulesFilter("alert", List.of(), List.of(), List.of()), p);
    List<AlertStatus> alerts = groups.activeAlerts();
    return new Reply(json -> RuleGroupsJson.writeAlerts(json, alerts), groups.warnings(), List.of());
  }

  private RuleGroups ruleGroups(RulesFilter filter, Params p) {
    try {
      return rules.ruleGroups(filter, PrometheusApiHandler.storeOptions(p));
    } catch (OrreryException e) {
      throw new ApiException(ApiErrorType.INTERNAL, "retrieving rules: " + e.getMessage(), e);
    }
  }

  // Prometheus' /api/v1/query_exemplars: the query's selectors pick the series; a query without selectors answers
  // null, as Prometheus does.
  Reply queryExemplars(Params p) {
    long start = ApiParameters.parseTimeParam("start", p.first("start"), ApiParameters.MIN_TIME_MILLIS);
    long end = ApiParameters.parseTimeParam("end", p.first("end"), ApiParameters.MAX_TIME_MILLIS);
    if (end < start) {
      throw ApiException.badData("end timestamp must not be before start timestamp");
    }
    String query = p.first("query", "");
    List<List<Matcher>> selectors;
    try {
      selectors = ExemplarsJson.selectors(PromqlParser.parse(query));
    } catch (PromqlParseException e) {
      throw ApiException.badData(e.getMessage());
    }
    if (selectors.isEmpty()) {
      return new Reply(json -> json.generator().writeNull(), List.of(), List.of());
    }
    ExemplarSet set;
    try {
      set = exemplars.exemplars(new ExemplarQuery(query, selectors, start, end),
          PrometheusApiHandler.storeOptions(p));
    } catch (OrreryException e) {
      throw new ApiException(ApiErrorType.INTERNAL, "retrieving exemplars: " + e.getMessage(), e);
    }
    return new Reply(json -> ExemplarsJson.write(json, set.series()), set.warnings(), List.of());
  }

  // Prometheus' /api/v1/metadata: limits that are not numbers are bad data; a negative limit is no limit.
  Reply metricMetadata(Params p) {
    int limit = metadataLimit(p, "limit");
    int limitPerMetric = metadataLimit(p, "limit_per_metric");
    MetricMetadataSet set;
    try {
      set = metadata.metricMetadata(p.first("metric", ""), limit, PrometheusApiHandler.storeOptions(p))
          .limitPerMetric(limitPerMetric);
    } catch (OrreryException e) {
      throw new ApiException(ApiErrorType.INTERNAL, "retrieving metadata: " + e.getMessage(), e);
    }
    return new Reply(json -> {
      JsonGenerator g = json.generator();
      g.writeStartObject();
      for (Map.Entry<String, List<MetricMetadata>> e : set.byMetric().entrySet()) {
        g.writeArrayFieldStart(e.getKey());
        for (MetricMetadata m : e.getValue()) {
          g.writeStartObject();
          g.writeStringField("type", m.type());
          g.writeStringField("help", m.help());
          g.writeStringField("unit", m.unit());
          g.writeEndObject();
        }
        g.writeEndArray();
      }
      g.writeEndObject();
    }, set.warnings(), List.of());
  }

  private static int metadataLimit(Params p, String name) {
    String s = p.first(name);
    if (s == null || s.isEmpty()) {
      return -1;
    }
    try {
      return Integer.parseInt(s);
    } catch (NumberFormatException e) {
      throw ApiException.badData(name + " must be a number");
    }
  }
}
