package dev.orrery.objstore.gcs;

import dev.orrery.objstore.BucketConfigException;
import dev.orrery.objstore.BucketSettings;
import java.time.Duration;
import java.util.Set;
import org.jspecify.annotations.Nullable;

import static java.util.Objects.requireNonNull;

/**
 * The settings of a {@link GcsBucket}, read from Thanos' {@code type: GCS} configuration keys (or a {@code gs://}
 * URL's query parameters of the same names).
 *
 * <p>Supported keys: {@code bucket} (required), {@code service_account} (the JSON key of a service account, as text;
 * when absent, Google's application default credentials are used), {@code chunk_size_bytes} (resumable upload chunk
 * size, default 16 MiB as in Thanos), {@code max_retries} (attempts per request inside the client, default 3), and
 * {@code http_config} ({@code idle_conn_timeout}, {@code response_header_timeout}, {@code tls_handshake_timeout}).
 * {@code use_grpc: true} is refused (Orrery uses the JSON API); {@code grpc_conn_pool_size} and the other
 * {@code http_config} tunables are accepted and ignored.
 *
 * @param bucket the bucket name
 * @param serviceAccountJson the service account key, or {@code null} for application default credentials
 * @param chunkSizeBytes the resumable upload chunk size, a multiple of 256 KiB
 * @param maxRetries retries per request inside the client
 * @param connectTimeout the connect timeout
 * @param readTimeout the socket read timeout
 */
public record GcsConfig(String bucket, @Nullable String serviceAccountJson, int chunkSizeBytes, int maxRetries,
    Duration connectTimeout, Duration readTimeout) {

  /** Thanos' default chunk size. */
  public static final int DEFAULT_CHUNK_SIZE_BYTES = 16 << 20;
  private static final int CHUNK_GRANULARITY = 256 * 1024;

  private static final Set<String> KNOWN_KEYS = Set.of("bucket", "service_account", "use_grpc",
      "grpc_conn_pool_size", "http_config", "chunk_size_bytes", "max_retries");
  private static final Set<String> KNOWN_HTTP_KEYS = Set.of("idle_conn_timeout", "response_header_timeout",
      "insecure_skip_verify", "tls_handshake_timeout", "expect_continue_timeout", "max_idle_conns",
      "max_idle_conns_per_host", "max_conns_per_host", "tls_config", "disable_compression", "transport");

  /** Checks the values. */
  public GcsConfig {
    requireNonNull(bucket, "bucket is null");
    requireNonNull(connectTimeout, "connectTimeout is null");
    requireNonNull(readTimeout, "readTimeout is null");
    if (chunkSizeBytes <= 0 || chunkSizeBytes % CHUNK_GRANULARITY != 0) {
      throw new IllegalArgumentException("chunkSizeBytes must be a positive multiple of 256 KiB, got "
          + chunkSizeBytes);
    }
  }

  /**
   * Creates a configuration with the defaults for everything but the bucket and credentials.
   *
   * @param bucket the bucket name
   * @param serviceAccountJson the service account key, or {@code null}
   * @return the configuration
   */
  public static GcsConfig of(String bucket, @Nullable String serviceAccountJson) {
    return new GcsConfig(bucket, serviceAccountJson, DEFAULT_CHUNK_SIZE_BYTES, 3, Duration.ofSeconds(10),
        Duration.ofMinutes(2));
  }

  /**
   * Reads the settings.
   *
   * @param settings Thanos {@code GCS} keys
   * @return the configuration
   * @throws BucketConfigException naming the first missing or malformed setting
   */
  public static GcsConfig from(BucketSettings settings) throws BucketConfigException {
    settings.checkKnownKeys(KNOWN_KEYS);
    String bucket = settings.requireString("bucket");
    if (!bucket.matches("[a-z0-9][a-z0-9._-]{1,221}[a-z0-9]")) {
      throw settings.invalid("bucket", "not a valid GCS bucket name: '" + bucket + "'");
    }
    if (settings.bool("use_grpc", false)) {
      throw settings.invalid("use_grpc", "the gRPC transport is not supported; remove the setting to use the JSON"
          + " API");
    }
    long chunkSize = settings.number("chunk_size_bytes", DEFAULT_CHUNK_SIZE_BYTES, 1);
    if (chunkSize % CHUNK_GRANULARITY != 0 || chunkSize > Integer.MAX_VALUE) {
      throw settings.invalid("chunk_size_bytes", "must be a multiple of 262144 (256 KiB), got " + chunkSize);
    }
    BucketSettings http = settings.section("http_config");
    http.checkKnownKeys(KNOWN_HTTP_KEYS);
    return new GcsConfig(bucket, settings.string("service_account"), (int) chunkSize,
        (int) settings.number("max_retries", 3, 0),
        http.duration("tls_handshake_timeout", Duration.ofSeconds(10)),
        http.duration("response_header_timeout", Duration.ofMinutes(2)));
  }

  /** Returns a description without the service account key. */
  @Override
  public String toString() {
    return "GcsConfig[bucket=" + bucket + ", credentials=" + (serviceAccountJson == null ? "application default"
        : "service account") + ", chunkSizeBytes=" + chunkSizeBytes + "]";
  }
}
