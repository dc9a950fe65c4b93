package dev.orrery.objstore.s3;

import dev.orrery.objstore.BucketConfigException;
import dev.orrery.objstore.BucketSettings;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

import static java.util.Objects.requireNonNull;

/**
 * The settings of an {@link S3Bucket}, read from Thanos' {@code type: S3} configuration keys (or an {@code s3://}
 * URL's query parameters of the same names).
 *
 * <p>Supported keys: {@code bucket} (required), {@code endpoint} ({@code host:port}, or a full URL; empty means AWS),
 * {@code region}, {@code access_key}, {@code secret_key}, {@code session_token} (static credentials; when absent the
 * AWS default credential chain is used, as with Thanos' {@code aws_sdk_auth}), {@code aws_sdk_auth}, {@code
 * insecure} (plain HTTP), {@code bucket_lookup_type} ({@code auto}, {@code path}, {@code virtual-hosted}), {@code
 * force_path_style} (alias for {@code bucket_lookup_type: path}), {@code part_size} (bytes; default 64 MiB as in
 * Thanos), {@code disable_multipart}, {@code max_retries} (SDK retries per request), {@code put_user_metadata},
 * {@code sse_config} ({@code type: SSE-S3} or {@code SSE-KMS} with {@code kms_key_id}, {@code
 * kms_encryption_context}), and {@code http_config} ({@code idle_conn_timeout}, {@code response_header_timeout},
 * {@code tls_handshake_timeout}, {@code max_conns_per_host}, {@code insecure_skip_verify}). Thanos keys that have no
 * effect with the AWS SDK ({@code trace}, {@code list_objects_version}, {@code send_content_md5}, {@code
 * sts_endpoint}, {@code signature_version2: false}, and the remaining {@code http_config} pool tunables) are
 * accepted and ignored, so existing files load unchanged.
 *
 * @param bucket the bucket name
 * @param endpoint the endpoint URL, or {@code null} for AWS's regional endpoint
 * @param region the signing region
 * @param accessKey the static access key, or {@code null} for the default credential chain
 * @param secretKey the static secret key, or {@code null}
 * @param sessionToken the session token of temporary credentials, or {@code null}
 * @param pathStyle whether to address the bucket in the path rather than the host name
 * @param partSizeBytes the multipart part size, at least 5 MiB; also the single-request threshold
 * @param disableMultipart whether to always upload in one request
 * @param maxRetries retries per request inside the SDK
 * @param userMetadata metadata put on every uploaded object
 * @param sse server-side encryption
 * @param http timeouts and connection pool size
 */
public record S3Config(
    String bucket,
    @Nullable URI endpoint,
    String region,
    @Nullable String accessKey,
    @Nullable String secretKey,
    @Nullable String sessionToken,
    boolean pathStyle,
    long partSizeBytes,
    boolean disableMultipart,
    int maxRetries,
    Map<String, String> userMetadata,
    ServerSideEncryption sse,
    Http http) {

  /** The smallest part S3 accepts for every part but the last. */
  public static final long MIN_PART_SIZE_BYTES = 5L << 20;
  /** Thanos' default part size. */
  public static final long DEFAULT_PART_SIZE_BYTES = 64L << 20;

  private static final Set<String> KNOWN_KEYS = Set.of("bucket", "endpoint", "region", "aws_sdk_auth", "access_key",
      "secret_key", "session_token", "insecure", "signature_version2", "put_user_metadata", "http_config", "trace",
      "list_objects_version", "bucket_lookup_type", "force_path_style", "send_content_md5", "disable_multipart",
      "part_size", "sse_config", "sts_endpoint", "max_retries", "checksum_algorithm");
  private static final Set<String> KNOWN_HTTP_KEYS = Set.of("idle_conn_timeout", "response_header_timeout",
      "insecure_skip_verify", "tls_handshake_timeout", "expect_continue_timeout", "max_idle_conns",
      "max_idle_conns_per_host", "max_conns_per_host", "tls_config", "disable_compression", "transport");
  private static final Set<String> KNOWN_SSE_KEYS = Set.of("type", "kms_key_id", "kms_encryption_context",
      "encryption_key");

  /** Checks the values. */
  public S3Config {
    requireNonNull(bucket, "bucket is null");
    requireNonNull(region, "region is null");
    userMetadata = Map.copyOf(requireNonNull(userMetadata, "userMetadata is null"));
    requireNonNull(sse, "sse is null");
    requireNonNull(http, "http is null");
    if (partSizeBytes < MIN_PART_SIZE_BYTES) {
      throw new IllegalArgumentException("partSizeBytes must be >= 5 MiB, got " + partSizeBytes);
    }
  }

  /**
   * Server-side encryption of uploaded objects.
   *
   * @param type {@code ""} (none), {@code SSE-S3} or {@code SSE-KMS}
   * @param kmsKeyId the KMS key for {@code SSE-KMS}, or {@code null}
   * @param kmsEncryptionContext the KMS encryption context, possibly empty
   */
  public record ServerSideEncryption(String type, @Nullable String kmsKeyId, Map<String, String> kmsEncryptionContext) {
    /** No encryption beyond the bucket's default. */
    public static final ServerSideEncryption NONE = new ServerSideEncryption("", null, Map.of());

    /** Copies the context. */
    public ServerSideEncryption {
      requireNonNull(type, "type is null");
      kmsEncryptionContext = Map.copyOf(kmsEncryptionContext);
    }
  }

  /**
   * HTTP client settings (Thanos' {@code http_config}).
   *
   * @param idleConnectionTimeout how long an idle pooled connection is kept
   * @param responseHeaderTimeout the socket read timeout
   * @param connectTimeout the connect and TLS handshake timeout
   * @param maxConnections the connection pool size
   * @param insecureSkipVerify whether to accept any TLS certificate (tests against self-signed stores only)
   */
  public record Http(Duration idleConnectionTimeout, Duration responseHeaderTimeout, Duration connectTimeout,
      int maxConnections, boolean insecureSkipVerify) {
    /** Thanos' defaults: 90 s idle, 2 min response header, 10 s handshake; a pool of 100 connections. */
    public static final Http DEFAULTS = new Http(Duration.ofSeconds(90), Duration.ofMinutes(2),
        Duration.ofSeconds(10), 100, false);
  }

  /**
   * Reads the settings.
   *
   * @param settings Thanos {@code S3} keys
   * @return the configuration
   * @throws BucketConfigException naming the first missing or malformed setting
   */
  public static S3Config from(BucketSettings settings) throws BucketConfigException {
    settings.checkKnownKeys(KNOWN_KEYS);
    String bucket = settings.requireString("bucket");
    if (!bucket.matches("[a-zA-Z0-9._-]{1,255}")) {
      throw settings.invalid("bucket", "not a valid S3 bucket name: '" + bucket + "'");
    }
    boolean insecure = settings.bool("insecure", false);
    String endpointText = settings.string("endpoint");
    URI endpoint = null;
    if (endpointText != null) {
      String withScheme = endpointText.contains("://") ? endpointText : (insecure ? "http://" : "https://")
          + endpointText;
      try {
        endpoint = new URI(withScheme);
      } catch (URISyntaxException e) {
        throw settings.invalid("endpoint", "not a valid host:port or URL: '" + endpointText + "'");
      }
      if (endpoint.getHost() == null) {
        throw settings.invalid("endpoint", "has no host: '" + endpointText + "'");
      }
    }
    String region = settings.string("region");
    if (region == null) {
      if (endpoint == null) {
        throw settings.invalid("region", "missing (required when no endpoint is set)");
      }
      region = "us-east-1";
    }
    String accessKey = settings.string("access_key");
    String secretKey = settings.string("secret_key");
    if (accessKey != null && secretKey == null) {
      throw settings.invalid("secret_key", "missing (access_key is set; set both or neither)");
    }
    if (secretKey != null && accessKey == null) {
      throw settings.invalid("access_key", "missing (secret_key is set; set both or neither)");
    }
    if (settings.bool("signature_version2", false)) {
      throw settings.invalid("signature_version2", "AWS signature version 2 is not supported by the AWS SDK v2;"
          + " remove the setting");
    }
    boolean pathStyle = pathStyle(settings, endpoint);
    long partSize = settings.number("part_size", DEFAULT_PART_SIZE_BYTES, 1);
    if (partSize < MIN_PART_SIZE_BYTES) {
      throw settings.invalid("part_size", "must be at least 5 MiB (5242880), got " + partSize);
    }
    int maxRetries = (int) settings.number("max_retries", 3, 0);
    return new S3Config(bucket, endpoint, region, accessKey, secretKey, settings.string("session_token"), pathStyle,
        partSize, settings.bool("disable_multipart", false), maxRetries, stringMap(settings, "put_user_metadata"),
        sse(settings.section("sse_config")), http(settings.section("http_config")));
  }

  private static boolean pathStyle(BucketSettings settings, @Nullable URI endpoint) throws BucketConfigException {
    boolean forcePathStyle = settings.bool("force_path_style", false);
    String lookup = settings.string("bucket_lookup_type");
    if (lookup == null || lookup.equalsIgnoreCase("auto")) {
      // minio-go's BucketLookupAuto: virtual-hosted for AWS (and Google), path style for every other endpoint.
      return forcePathStyle || (endpoint != null && !endpoint.getHost().endsWith(".amazonaws.com")
          && !endpoint.getHost().equals("amazonaws.com"));
    }
    return switch (lookup.toLowerCase(Locale.ROOT)) {
      case "path" -> true;
      case "virtual-hosted", "virtual-host", "dns" -> {
        if (forcePathStyle) {
          throw settings.invalid("force_path_style", "contradicts bucket_lookup_type: " + lookup);
        }
        yield false;
      }
      default -> throw settings.invalid("bucket_lookup_type", "must be auto, path or virtual-hosted, got '" + lookup
          + "'");
    };
  }

  private static ServerSideEncryption sse(BucketSettings sse) throws BucketConfigException {
    sse.checkKnownKeys(KNOWN_SSE_KEYS);
    String type = sse.string("type");
    if (type == null) {
      return ServerSideEncryption.NONE;
    }
    return switch (type.toUpperCase(Locale.ROOT)) {
      case "SSE-S3" -> new ServerSideEncryption("SSE-S3", null, Map.of());
      case "SSE-KMS" -> new ServerSideEncryption("SSE-KMS", sse.requireString("kms_key_id"),
          stringMap(sse, "kms_encryption_context"));
      case "SSE-C" -> throw sse.invalid("type", "SSE-C (customer-provided keys) is not supported; use SSE-S3 or"
          + " SSE-KMS");
      default -> throw sse.invalid("type", "must be SSE-S3 or SSE-KMS, got '" + type + "'");
    };
  }

  private static Http http(BucketSettings http) throws BucketConfigException {
    http.checkKnownKeys(KNOWN_HTTP_KEYS);
    return new Http(
        http.duration("idle_conn_timeout", Http.DEFAULTS.idleConnectionTimeout()),
        http.duration("response_header_timeout", Http.DEFAULTS.responseHeaderTimeout()),
        http.duration("tls_handshake_timeout", Http.DEFAULTS.connectTimeout()),
        (int) http.number("max_conns_per_host", 0, 0) == 0 ? Http.DEFAULTS.maxConnections()
            : (int) http.number("max_conns_per_host", 0, 0),
        http.bool("insecure_skip_verify", false));
  }

  private static Map<String, String> stringMap(BucketSettings settings, String key) throws BucketConfigException {
    Map<String, String> map = new LinkedHashMap<>();
    for (Map.Entry<String, Object> entry : settings.section(key).values().entrySet()) {
      if (entry.getValue() instanceof Map<?, ?> || entry.getValue() instanceof Iterable<?>) {
        throw settings.invalid(key, "values must be strings, not at key " + entry.getKey());
      }
      map.put(entry.getKey(), String.valueOf(entry.getValue()));
    }
    return map;
  }

  /** Returns a description without credentials, for logs and errors. */
  @Override
  public String toString() {
    return "S3Config[bucket=" + bucket + ", endpoint=" + endpoint + ", region=" + region + ", pathStyle=" + pathStyle
        + ", credentials=" + (accessKey == null ? "default chain" : "static") + ", partSizeBytes=" + partSizeBytes
        + "]";
  }
}
