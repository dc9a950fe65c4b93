package dev.orrery.objstore;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

import static java.util.Objects.requireNonNull;

/**
 * The settings a {@link BucketProvider} opens a bucket from, with Thanos' key names ({@code bucket}, {@code
 * endpoint}, {@code access_key}, {@code directory}, ...), whether they came from a Thanos objstore YAML file's
 * {@code config:} section or from a bucket URL's host, path and query.
 *
 * <p>Immutable. Every accessor that finds a value missing or malformed throws a {@link BucketConfigException} whose
 * one-line message names the source and the setting as the user wrote it ({@code config.bucket} for YAML, {@code
 * bucket} for a URL).
 */
public final class BucketSettings {
  private static final Pattern GO_DURATION_PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|µs|ms|s|m|h)");

  private final String source;
  private final String type;
  private final String settingPrefix;
  private final Map<String, Object> values;

  /**
   * Creates settings.
   *
   * @param source where they come from, for error messages: a file name or a URL (without credentials)
   * @param type the Thanos type they are for, upper case ({@code S3}, {@code GCS}, {@code FILESYSTEM}, ...)
   * @param settingPrefix what error messages put before a key: {@code "config."} for YAML, {@code ""} for URLs
   * @param values the settings by Thanos key; values are strings, booleans, numbers or nested maps
   */
  public BucketSettings(String source, String type, String settingPrefix, Map<String, ?> values) {
    this.source = requireNonNull(source, "source is null");
    this.type = requireNonNull(type, "type is null");
    this.settingPrefix = requireNonNull(settingPrefix, "settingPrefix is null");
    this.values = Collections.unmodifiableMap(new LinkedHashMap<>(requireNonNull(values, "values is null")));
  }

  /** Returns where the settings came from. */
  public String source() {
    return source;
  }

  /** Returns the Thanos type, upper case. */
  public String type() {
    return type;
  }

  /** Returns all values by key, in the order written. */
  public Map<String, Object> values() {
    return values;
  }

  /**
   * Returns how error messages name {@code key}: {@code config.bucket} for YAML, {@code bucket} for a URL.
   *
   * @param key a Thanos key
   * @return the name as the user wrote it
   */
  public String settingName(String key) {
    return settingPrefix + key;
  }

  /**
   * Creates the exception for a bad value of {@code key}.
   *
   * @param key the Thanos key at fault
   * @param problem what is wrong, one line
   * @return the exception, to be thrown by the caller
   */
  public BucketConfigException invalid(String key, String problem) {
    return new BucketConfigException(source, settingName(key), problem);
  }

  /**
   * Fails on the first key that is not in {@code known}, catching typos that would otherwise be silently ignored
   * (Thanos parses strictly too).
   *
   * @param known every key the provider understands or deliberately ignores
   * @throws BucketConfigException naming the first unknown key
   */
  public void checkKnownKeys(Set<String> known) throws BucketConfigException {
    for (String key : values.keySet()) {
      if (!known.contains(key)) {
        throw invalid(key, "unknown setting for type " + type + " (known: " + String.join(", ", new TreeSet<>(known))
            + ")");
      }
    }
  }

  /**
   * Returns a string setting, or {@code null} when absent or empty.
   *
   * @param key the Thanos key
   * @return the value
   * @throws BucketConfigException if the value is a map or list
   */
  public @Nullable String string(String key) throws BucketConfigException {
    Object value = values.get(key);
    if (value == null) {
      return null;
    }
    if (value instanceof Map<?, ?> || value instanceof Iterable<?>) {
      throw invalid(key, "must be a single value, not a " + (value instanceof Map<?, ?> ? "map" : "list"));
    }
    String text = value.toString();
    return text.isEmpty() ? null : text;
  }

  /**
   * Returns a string setting that must be present.
   *
   * @param key the Thanos key
   * @return the non-empty value
   * @throws BucketConfigException if it is absent or empty
   */
  public String requireString(String key) throws BucketConfigException {
    String value = string(key);
    if (value == null) {
      throw invalid(key, "missing (required for type " + type + ")");
    }
    return value;
  }

  /**
   * Returns a boolean setting ({@code true}/{@code false}, any case).
   *
   * @param key the Thanos key
   * @param defaultValue the value when absent
   * @return the value
   * @throws BucketConfigException if the value is not a boolean
   */
  public boolean bool(String key, boolean defaultValue) throws BucketConfigException {
    String value = string(key);
    if (value == null) {
      return defaultValue;
    }
    if (value.equalsIgnoreCase("true")) {
      return true;
    }
    if (value.equalsIgnoreCase("false")) {
      return false;
    }
    throw invalid(key, "must be true or false, got '" + value + "'");
  }

  /**
   * Returns a whole-number setting.
   *
   * @param key the Thanos key
   * @param defaultValue the value when absent
   * @param min the smallest allowed value
   * @return the value
   * @throws BucketConfigException if the value is not a number or below {@code min}
   */
  public long number(String key, long defaultValue, long min) throws BucketConfigException {
    String value = string(key);
    if (value == null) {
      return defaultValue;
    }
    long parsed;
    try {
      parsed = Long.parseLong(value.strip());
    } catch (NumberFormatException e) {
      throw invalid(key, "must be a whole number, got '" + value + "'");
    }
    if (parsed < min) {
      throw invalid(key, "must be >= " + min + ", got " + parsed);
    }
    return parsed;
  }

  /**
   * Returns a duration setting written as Go writes durations ({@code 90s}, {@code 1m30s}, {@code 500ms}), as Thanos'
   * {@code http_config} timeouts are.
   *
   * @param key the Thanos key
   * @param defaultValue the value when absent
   * @return the value
   * @throws BucketConfigException if the value is not a Go duration
   */
  public Duration duration(String key, Duration defaultValue) throws BucketConfigException {
    String value = string(key);
    if (value == null) {
      return defaultValue;
    }
    Duration parsed = parseGoDuration(value.strip());
    if (parsed == null) {
      throw invalid(key, "must be a duration such as 30s, 1m30s or 500ms, got '" + value + "'");
    }
    return parsed;
  }

  /**
   * Returns a nested section (for example Thanos' {@code http_config}) as settings of its own, whose error messages
   * name keys as {@code config.http_config.<key>}.
   *
   * @param key the Thanos key of the section
   * @return the section; empty when absent
   * @throws BucketConfigException if the value is not a map
   */
  public BucketSettings section(String key) throws BucketConfigException {
    Object value = values.get(key);
    if (value == null || "".equals(value)) {
      return new BucketSettings(source, type, settingName(key) + ".", Map.of());
    }
    if (!(value instanceof Map<?, ?> map)) {
      throw invalid(key, "must be a map of settings");
    }
    Map<String, Object> section = new LinkedHashMap<>();
    for (Map.Entry<?, ?> entry : map.entrySet()) {
      section.put(String.valueOf(entry.getKey()), entry.getValue());
    }
    return new BucketSettings(source, type, settingName(key) + ".", section);
  }

  static @Nullable Duration parseGoDuration(String text) {
    if (text.equals("0")) {
      return Duration.ZERO;
    }
    Matcher matcher = GO_DURATION_PART.matcher(text);
    int position = 0;
    double nanos = 0;
    while (position < text.length()) {
      if (!matcher.find(position) || matcher.start() != position) {
        return null;
      }
      double amount = Double.parseDouble(matcher.group(1));
      nanos += amount * switch (matcher.group(2)) {
        case "ns" -> 1d;
        case "us", "µs" -> 1e3;
        case "ms" -> 1e6;
        case "s" -> 1e9;
        case "m" -> 60e9;
        default -> 3600e9;
      };
      position = matcher.end();
    }
    return position == 0 ? null : Duration.ofNanos((long) nanos);
  }

  @Override
  public String toString() {
    return "BucketSettings[" + source + ", type " + type + ", keys " + values.keySet() + "]";
  }
}
