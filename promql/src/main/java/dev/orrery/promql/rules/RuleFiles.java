package dev.orrery.promql.rules;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.orrery.promql.ast.Expr;
import dev.orrery.promql.http.ApiParameters;
import dev.orrery.promql.parser.PromqlParseException;
import dev.orrery.promql.parser.PromqlParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Reads Prometheus rule files ({@code groups:} of {@code record:} and {@code alert:} rules), checked as strictly as
 * Prometheus checks them: unknown keys, a rule that is both or neither kind, a bad metric or label name, an expression
 * that does not parse, a template that does not parse, a duplicate group name. As in Prometheus, an expression's type
 * is not checked here: a scalar result is one sample without labels, and a range vector or string fails the rule when
 * it is evaluated. Every error names
 * the file, the group, the rule's position and name, as Prometheus' {@code group "g", rule 2, "name": ...}. Stateless.
 */
public final class RuleFiles {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
  private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
  private static final Set<String> FILE_KEYS = Set.of("groups");
  private static final Set<String> GROUP_KEYS = Set.of("name", "interval", "limit", "rules", "query_offset", "labels",
      "partial_response_strategy");
  private static final Set<String> RULE_KEYS = Set.of("record", "alert", "expr", "for", "keep_firing_for", "labels",
      "annotations");

  private RuleFiles() {}

  /**
   * Reads the rule groups of {@code file}; groups without {@code interval:} get {@code defaultInterval}.
   *
   * @throws IllegalArgumentException naming the file, group and rule, if the file is not a valid rule file
   * @throws IOException if the file cannot be read
   */
  public static List<RuleGroup> read(Path file, Duration defaultInterval) throws IOException {
    return parse(Files.readString(file), file.toString(), defaultInterval);
  }

  /**
   * Parses rule file text; {@code fileName} is named in errors and kept on the groups.
   *
   * @throws IllegalArgumentException naming the file, group and rule, if the text is not a valid rule file
   */
  public static List<RuleGroup> parse(String yaml, String fileName, Duration defaultInterval) {
    JsonNode root;
    try {
      root = YAML.readTree(yaml);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(fileName + ": not YAML: " + e.getOriginalMessage()
          + (e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr()));
    }
    if (root == null || root.isMissingNode() || root.isNull()) {
      return List.of();
    }
    String where = fileName;
    checkKeys(root, FILE_KEYS, where);
    JsonNode groups = root.path("groups");
    if (groups.isMissingNode() || groups.isNull()) {
      return List.of();
    }
    if (!groups.isArray()) {
      throw new IllegalArgumentException(where + ": groups: expected a list");
    }
    List<RuleGroup> out = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (JsonNode g : groups) {
      RuleGroup group = group(g, fileName, defaultInterval);
      if (!names.add(group.name())) {
        throw new IllegalArgumentException(fileName + ": " + group.name() + ": repeated in the same file");
      }
      out.add(group);
    }
    return out;
  }

  private static RuleGroup group(JsonNode g, String file, Duration defaultInterval) {
    checkKeys(g, GROUP_KEYS, file + ": group");
    String name = text(g.path("name"), file + ": group name");
    if (name.isEmpty()) {
      throw new IllegalArgumentException(file + ": group name should not be empty");
    }
    String where = file + ": group \"" + name + "\"";
    Duration interval = g.has("interval") ? duration(g.get("interval"), where + ": interval") : defaultInterval;
    if (interval.isZero()) {
      interval = defaultInterval;
    }
    int limit = g.has("limit") ? g.get("limit").asInt(-1) : 0;
    if (limit < 0) {
      throw new IllegalArgumentException(where + ": limit: expected a non-negative integer, got " + g.get("limit"));
    }
    Duration queryOffset = g.has("query_offset") ? duration(g.get("query_offset"), where + ": query_offset")
        : Duration.ZERO;
    Map<String, String> groupLabels = labels(g.path("labels"), where + ": labels");
    RuleGroup.PartialResponse partialResponse = RuleGroup.PartialResponse.ABORT;
    if (g.has("partial_response_strategy")) {
      String strategy = text(g.get("partial_response_strategy"), where + ": partial_response_strategy");
      try {
        partialResponse = RuleGroup.PartialResponse.valueOf(strategy.toUpperCase(java.util.Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(where + ": partial_response_strategy: expected warn or abort, got '"
            + strategy + "'");
      }
    }
    JsonNode rules = g.path("rules");
    List<Rule> out = new ArrayList<>();
    if (!rules.isMissingNode() && !rules.isNull()) {
      if (!rules.isArray()) {
        throw new IllegalArgumentException(where + ": rules: expected a list");
      }
      int i = 0;
      for (JsonNode r : rules) {
        i++;
        out.add(rule(r, where + ", rule " + i, groupLabels));
      }
    }
    return new RuleGroup(file, name, interval, limit, out, queryOffset, partialResponse);
  }

  /** A {@code labels} map with valid names. */
  private static Map<String, String> labels(JsonNode node, String where) {
    Map<String, String> labels = stringMap(node, where);
    for (String label : labels.keySet()) {
      if (!LABEL_NAME.matcher(label).matches()) {
        throw new IllegalArgumentException(where + ": invalid label name: " + label);
      }
    }
    return labels;
  }

  /** A rule; the group's labels come first, the rule's own override them (as in Prometheus 3). */
  private static Rule rule(JsonNode r, String position, Map<String, String> groupLabels) {
    String record = r.has("record") ? text(r.get("record"), position + ": record") : "";
    String alert = r.has("alert") ? text(r.get("alert"), position + ": alert") : "";
    String name = record.isEmpty() ? alert : record;
    String where = position + ", \"" + name + "\"";
    checkKeys(r, RULE_KEYS, where);
    if (!record.isEmpty() && !alert.isEmpty()) {
      throw new IllegalArgumentException(where + ": only one of 'record' and 'alert' must be set");
    }
    if (record.isEmpty() && alert.isEmpty()) {
      throw new IllegalArgumentException(where + ": one of 'record' or 'alert' must be set");
    }
    String exprText = r.has("expr") ? text(r.get("expr"), where + ": expr") : "";
    if (exprText.isBlank()) {
      throw new IllegalArgumentException(where + ": field 'expr' must be set in rule");
    }
    Expr expr;
    try {
      expr = PromqlParser.parse(exprText);
    } catch (PromqlParseException e) {
      throw new IllegalArgumentException(where + ": could not parse expression: " + e.getMessage(), e);
    }
    Map<String, String> labels = new TreeMap<>(groupLabels);
    labels.putAll(labels(r.path("labels"), where + ": labels"));
    if (!record.isEmpty()) {
      if (!METRIC_NAME.matcher(record).matches()) {
        throw new IllegalArgumentException(where + ": invalid recording rule name: " + record);
      }
      for (String key : List.of("annotations", "for", "keep_firing_for")) {
        if (r.has(key)) {
          throw new IllegalArgumentException(where + ": invalid field '" + key + "' in recording rule");
        }
      }
      return new RecordingRule(record, exprText, expr, labels);
    }
    Map<String, String> annotations = stringMap(r.path("annotations"), where + ": annotations");
    Duration hold = r.has("for") ? duration(r.get("for"), where + ": for") : Duration.ZERO;
    Duration keepFiring = r.has("keep_firing_for") ? duration(r.get("keep_firing_for"), where + ": keep_firing_for")
        : Duration.ZERO;
    for (Map.Entry<String, String> e : labels.entrySet()) {
      checkTemplate("__alert_" + alert, e.getValue(), where + ": label " + e.getKey());
    }
    for (Map.Entry<String, String> e : annotations.entrySet()) {
      checkTemplate("__alert_" + alert, e.getValue(), where + ": annotation " + e.getKey());
    }
    return new AlertingRule(alert, exprText, expr, hold, keepFiring, labels, annotations);
  }

  private static void checkTemplate(String name, String text, String where) {
    try {
      AlertTemplate.parse(name, text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
    }
  }

  private static void checkKeys(JsonNode node, Set<String> allowed, String where) {
    if (!node.isObject()) {
      throw new IllegalArgumentException(where + ": expected a mapping, got " + node.getNodeType());
    }
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!allowed.contains(key)) {
        throw new IllegalArgumentException(where + ": field " + key + " not found (known: " + allowed.stream()
            .sorted().toList() + ")");
      }
    }
  }

  private static String text(JsonNode node, String where) {
    if (!node.isValueNode() || node.isNull()) {
      throw new IllegalArgumentException(where + ": expected a string, got " + node.getNodeType());
    }
    return node.asText();
  }

  private static Duration duration(JsonNode node, String where) {
    String s = text(node, where);
    long millis = ApiParameters.parsePrometheusDurationMillis(s);
    if (millis < 0) {
      throw new IllegalArgumentException(where + ": not a valid duration string: \"" + s + "\"");
    }
    return Duration.ofMillis(millis);
  }

  private static Map<String, String> stringMap(JsonNode node, String where) {
    Map<String, String> out = new LinkedHashMap<>();
    if (node.isMissingNode() || node.isNull()) {
      return out;
    }
    if (!node.isObject()) {
      throw new IllegalArgumentException(where + ": expected a mapping, got " + node.getNodeType());
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      out.put(e.getKey(), text(e.getValue(), where + "." + e.getKey()));
    }
    return out;
  }
}
