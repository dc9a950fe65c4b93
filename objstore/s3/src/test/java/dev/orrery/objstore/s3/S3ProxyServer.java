package dev.orrery.objstore.s3;

import dev.orrery.objstore.BucketSettings;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * S3Proxy with an in-memory (transient) backend, serving the real S3 protocol on 127.0.0.1 inside the test JVM,
 * with AWS v2/v4 signature checks against a fixed key pair.
 */
final class S3ProxyServer implements AutoCloseable {
  static final String ACCESS_KEY = "orrery-access";
  static final String SECRET_KEY = "orrery-secret-key";

  private static final AtomicInteger BUCKETS = new AtomicInteger();

  private final S3Proxy proxy;
  private final S3Client admin;

  private S3ProxyServer(S3Proxy proxy) {
    this.proxy = proxy;
    this.admin = S3Client.builder()
        .endpointOverride(URI.create(endpoint()))
        .region(Region.US_EAST_1)
        .forcePathStyle(true)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
        .build();
  }

  static S3ProxyServer start() throws Exception {
    S3Proxy proxy = S3Proxy.builder()
        .blobStore(new TransientNio2BlobStore())
        .endpoint(URI.create("http://127.0.0.1:0"))
        .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
        .build();
    proxy.start();
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (!proxy.getState().equals("STARTED")) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("S3Proxy did not start: " + proxy.getState());
      }
      Thread.sleep(10);
    }
    return new S3ProxyServer(proxy);
  }

  String endpoint() {
    return "http://127.0.0.1:" + proxy.getPort();
  }

  String hostPort() {
    return "127.0.0.1:" + proxy.getPort();
  }

  /** Creates a new, empty bucket and returns its name. */
  String createBucket() {
    String name = "orrery-test-" + BUCKETS.incrementAndGet();
    admin.createBucket(request -> request.bucket(name));
    return name;
  }

  /** Thanos-style settings for a bucket on this server. */
  BucketSettings settings(String bucket, Map<String, Object> extra) {
    Map<String, Object> values = new LinkedHashMap<>();
    values.put("bucket", bucket);
    values.put("endpoint", hostPort());
    values.put("insecure", "true");
    values.put("access_key", ACCESS_KEY);
    values.put("secret_key", SECRET_KEY);
    values.putAll(extra);
    return new BucketSettings("test", "S3", "config.", values);
  }

  @Override
  public void close() throws Exception {
    admin.close();
    proxy.stop();
  }
}
