package dev.orrery.objstore;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

import static java.util.Objects.requireNonNull;

/**
 * The bucket providers available to an application, and the two ways to open a bucket with them: a URL ({@code
 * file:///var/lib/orrery/bucket}, {@code mem://test}, {@code s3://bucket/prefix}, {@code gs://bucket/prefix}) and a
 * Thanos objstore YAML file ({@code type: S3|GCS|FILESYSTEM}, {@code config:} with Thanos' key names, optional
 * {@code prefix:}), so existing Thanos configurations work unchanged.
 *
 * <p>Immutable and thread-safe. Errors in URLs and files are {@link BucketConfigException}s with a one-line message
 * naming the setting.
 *
 * {@snippet :
 * BucketProviders providers = BucketProviders.installed();
 * try (Bucket bucket = providers.openThanosConfig(Path.of("/etc/thanos/objstore.yml"))) {
 *   // ...
 * }
 * }
 */
public final class BucketProviders {
  /** Artifacts that provide types this artifact does not carry, for a helpful message. */
  private static final Map<String, String> ARTIFACT_BY_TYPE = Map.of("S3", "orrery-objstore-s3", "GCS",
      "orrery-objstore-gcs");
  private static final Map<String, String> TYPE_BY_SCHEME = Map.of("s3", "S3", "gs", "GCS");

  private final Map<String, BucketProvider> byScheme;
  private final Map<String, BucketProvider> byType;

  private BucketProviders(List<BucketProvider> providers) {
    Map<String, BucketProvider> schemes = new TreeMap<>();
    Map<String, BucketProvider> types = new TreeMap<>();
    for (BucketProvider provider : providers) {
      schemes.putIfAbsent(provider.scheme().toLowerCase(Locale.ROOT), provider);
      types.putIfAbsent(provider.type().toUpperCase(Locale.ROOT), provider);
    }
    this.byScheme = schemes;
    this.byType = types;
  }

  /**
   * Returns the providers registered through {@link ServiceLoader} with this class's loader: always {@code file}
   * and {@code mem}, plus {@code s3} and {@code gs} when their artifacts are on the class path.
   *
   * @return the providers
   */
  public static BucketProviders installed() {
    List<BucketProvider> providers = new ArrayList<>();
    ServiceLoader.load(BucketProvider.class, BucketProviders.class.getClassLoader()).forEach(providers::add);
    return new BucketProviders(providers);
  }

  /**
   * Returns exactly the given providers, for tests and for applications that wire providers by hand.
   *
   * @param providers the providers; the first one wins for a scheme or type given twice
   * @return the providers
   */
  public static BucketProviders of(List<? extends BucketProvider> providers) {
    return new BucketProviders(List.copyOf(requireNonNull(providers, "providers is null")));
  }

  /**
   * Opens a bucket from a URL; a path in an {@code s3://} or {@code gs://} URL becomes a key prefix.
   *
   * @param url for example {@code s3://metrics/eu1?endpoint=127.0.0.1:9000&insecure=true}
   * @return a new bucket, owned by the caller
   * @throws BucketConfigException if the URL is malformed, its scheme unknown or a setting bad
   * @throws IOException if the bucket cannot be opened
   */
  public Bucket open(String url) throws IOException {
    requireNonNull(url, "url is null");
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw new BucketConfigException("bucket URL " + redact(url), "url", "not a valid URL (" + e.getReason()
          + " at index " + e.getIndex() + ")", e);
    }
    return open(uri);
  }

  /**
   * Opens a bucket from a URL.
   *
   * @param url the URL
   * @return a new bucket, owned by the caller
   * @throws BucketConfigException if its scheme is unknown or a setting bad
   * @throws IOException if the bucket cannot be opened
   */
  public Bucket open(URI url) throws IOException {
    requireNonNull(url, "url is null");
    String source = "bucket URL " + redact(url.toString());
    String scheme = url.getScheme();
    if (scheme == null) {
      throw new BucketConfigException(source, "scheme", "missing (use file:///path, mem://name, s3://bucket/prefix"
          + " or gs://bucket/prefix)");
    }
    scheme = scheme.toLowerCase(Locale.ROOT);
    BucketProvider provider = byScheme.get(scheme);
    if (provider == null) {
      String type = TYPE_BY_SCHEME.get(scheme);
      if (type != null) {
        throw new BucketConfigException(source, "scheme", "scheme '" + scheme + "' needs the "
            + ARTIFACT_BY_TYPE.get(type) + " artifact on the class path");
      }
      throw new BucketConfigException(source, "scheme", "unknown scheme '" + scheme + "' (known: "
          + String.join(", ", byScheme.keySet()) + ")");
    }
    BucketSettings settings = provider.settingsFromUrl(url, source);
    String prefix = settings.string("prefix");
    if (settings.values().containsKey("prefix")) {
      Map<String, Object> values = new LinkedHashMap<>(settings.values());
      values.remove("prefix");
      settings = new BucketSettings(settings.source(), settings.type(), "", values);
    }
    return openWithPrefix(provider, settings, prefix);
  }

  /**
   * Opens a bucket from a Thanos objstore YAML file.
   *
   * @param file the YAML file
   * @return a new bucket, owned by the caller
   * @throws BucketConfigException if the file cannot be read or parsed, or a setting is missing or bad
   * @throws IOException if the bucket cannot be opened
   */
  public Bucket openThanosConfig(Path file) throws IOException {
    requireNonNull(file, "file is null");
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new BucketConfigException(file.toString(), "file", "cannot be read (" + e.getClass().getSimpleName()
          + ": " + e.getMessage() + ")", e);
    }
    return openThanosConfig(text, file.toString());
  }

  /**
   * Opens a bucket from the text of a Thanos objstore YAML file.
   *
   * @param yaml the YAML text
   * @param source how error messages name it, usually the file name
   * @return a new bucket, owned by the caller
   * @throws BucketConfigException if the YAML cannot be parsed, or a setting is missing or bad
   * @throws IOException if the bucket cannot be opened
   */
  public Bucket openThanosConfig(String yaml, String source) throws IOException {
    ThanosConfig config = parseThanosConfig(yaml, source);
    String type = config.settings().type();
    BucketProvider provider = byType.get(type);
    if (provider == null) {
      String artifact = ARTIFACT_BY_TYPE.get(type);
      throw new BucketConfigException(source, "type", artifact != null
          ? "type " + type + " needs the " + artifact + " artifact on the class path"
          : "unsupported type '" + type + "' (supported: " + String.join(", ", byType.keySet()) + ")");
    }
    return openWithPrefix(provider, config.settings(), config.prefix());
  }

  /** The parsed top level of a Thanos objstore file. */
  record ThanosConfig(BucketSettings settings, String prefix) {}

  static ThanosConfig parseThanosConfig(String yaml, String source) throws BucketConfigException {
    requireNonNull(yaml, "yaml is null");
    requireNonNull(source, "source is null");
    JsonNode root;
    try {
      root = new ObjectMapper(new YAMLFactory()).readTree(yaml);
    } catch (JsonProcessingException e) {
      JsonLocation location = e.getLocation();
      String where = location == null ? "yaml" : "line " + location.getLineNr() + ", column " + location.getColumnNr();
      throw new BucketConfigException(source, where, "not valid YAML (" + e.getOriginalMessage() + ")", e);
    }
    if (root == null || root.isMissingNode() || root.isNull()) {
      throw new BucketConfigException(source, "type", "missing (the file is empty)");
    }
    if (!root.isObject()) {
      throw new BucketConfigException(source, "yaml", "must be a map with keys type, config and prefix");
    }
    for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!name.equals("type") && !name.equals("config") && !name.equals("prefix")) {
        throw new BucketConfigException(source, name, "unknown top-level setting (known: type, config, prefix)");
      }
    }
    JsonNode type = root.get("type");
    if (type == null || type.isNull() || type.asText().isBlank()) {
      throw new BucketConfigException(source, "type", "missing (one of S3, GCS, FILESYSTEM)");
    }
    if (!type.isValueNode()) {
      throw new BucketConfigException(source, "type", "must be a single value such as S3, GCS or FILESYSTEM");
    }
    JsonNode config = root.get("config");
    Map<String, Object> values = new LinkedHashMap<>();
    if (config != null && !config.isNull()) {
      if (!config.isObject()) {
        throw new BucketConfigException(source, "config", "must be a map of settings");
      }
      for (Map.Entry<String, JsonNode> field : config.properties()) {
        values.put(field.getKey(), toValue(field.getValue()));
      }
    }
    JsonNode prefix = root.get("prefix");
    String prefixText = prefix == null || prefix.isNull() ? "" : prefix.asText();
    BucketSettings settings = new BucketSettings(source, type.asText().strip().toUpperCase(Locale.ROOT), "config.",
        values);
    return new ThanosConfig(settings, prefixText);
  }

  private static Object toValue(JsonNode node) {
    if (node.isObject()) {
      Map<String, Object> map = new LinkedHashMap<>();
      for (Map.Entry<String, JsonNode> field : node.properties()) {
        map.put(field.getKey(), toValue(field.getValue()));
      }
      return map;
    }
    if (node.isArray()) {
      List<Object> list = new ArrayList<>();
      node.forEach(element -> list.add(toValue(element)));
      return list;
    }
    return node.isNull() ? "" : node.asText();
  }

  private static Bucket openWithPrefix(BucketProvider provider, BucketSettings settings, String prefix)
      throws IOException {
    String trimmed = prefix == null ? "" : prefix.replaceAll("^/+|/+$", "");
    if (!trimmed.isEmpty()) {
      try {
        ObjectKeys.checkKey(trimmed);
      } catch (IllegalArgumentException e) {
        throw new BucketConfigException(settings.source(), "prefix", e.getMessage(), e);
      }
    }
    Bucket bucket = provider.open(settings);
    return trimmed.isEmpty() ? bucket : new PrefixedBucket(bucket, trimmed);
  }

  /** Removes user info and credential parameters from a URL before it goes into a message. */
  static String redact(String url) {
    return url.replaceFirst("^([a-zA-Z][a-zA-Z0-9+.-]*://)[^/@]*@", "$1***@")
        .replaceAll("(?i)\\b((access_key|secret_key|session_token|service_account)=)[^&]*", "$1***");
  }

  @Override
  public String toString() {
    return "BucketProviders" + byScheme.keySet();
  }
}
