package dev.orrery.objstore;

import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The service-provider interface through which {@link BucketProviders} finds bucket implementations: one provider per
 * store, registered in {@code META-INF/services/dev.orrery.objstore.BucketProvider} of its artifact, so that an
 * application pulls in only the SDKs it uses ({@code orrery-objstore-s3}, {@code orrery-objstore-gcs}).
 *
 * <p>Implementations are stateless and thread-safe, with a public no-argument constructor.
 */
public interface BucketProvider {
  /** Returns the URL scheme this provider opens, lower case: {@code s3}, {@code gs}, {@code file}, {@code mem}. */
  String scheme();

  /** Returns the Thanos objstore {@code type} this provider opens, upper case: {@code S3}, {@code GCS}, ... */
  String type();

  /**
   * Turns a bucket URL into settings with Thanos' key names. The default reads {@code scheme://bucket/prefix?k=v}:
   * the host is {@code bucket}, the path (without surrounding slashes) is {@code prefix}, and each query parameter
   * is a setting of the same name ({@code s3://metrics/eu1?endpoint=127.0.0.1:9000&insecure=true}).
   *
   * @param url the URL, whose scheme is {@link #scheme()}
   * @param source how error messages name the URL (credentials removed)
   * @return the settings
   * @throws BucketConfigException if the URL cannot be used
   */
  default BucketSettings settingsFromUrl(URI url, String source) throws BucketConfigException {
    Map<String, Object> values = new LinkedHashMap<>();
    String bucket = url.getHost() != null ? url.getHost() : url.getAuthority();
    if (bucket != null && !bucket.isEmpty()) {
      values.put("bucket", bucket);
    }
    String path = url.getPath() == null ? "" : url.getPath();
    path = path.replaceAll("^/+|/+$", "");
    if (!path.isEmpty()) {
      values.put("prefix", path);
    }
    String query = url.getRawQuery();
    if (query != null && !query.isEmpty()) {
      for (String pair : query.split("&")) {
        if (pair.isEmpty()) {
          continue;
        }
        int equals = pair.indexOf('=');
        String key = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
        String value = equals < 0 ? "true" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
        if (key.equals("bucket") || key.equals("prefix")) {
          throw new BucketConfigException(source, key, "must be given in the URL's host or path, not as a query"
              + " parameter");
        }
        values.put(key, value);
      }
    }
    return new BucketSettings(source, type(), "", values);
  }

  /**
   * Opens a bucket. A key prefix (the {@code prefix:} of an objstore file, the path of a URL) is applied by the
   * caller with {@link PrefixedBucket} and never reaches this method.
   *
   * @param settings the settings, with Thanos' key names
   * @return a new bucket, owned by the caller
   * @throws BucketConfigException if a setting is missing or malformed (one line naming it)
   * @throws IOException if the bucket cannot be opened
   */
  Bucket open(BucketSettings settings) throws IOException;
}
