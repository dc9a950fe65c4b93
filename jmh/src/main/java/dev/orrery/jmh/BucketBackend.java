package dev.orrery.jmh;

import dev.orrery.objstore.Bucket;
import dev.orrery.objstore.BucketSettings;
import dev.orrery.objstore.filesystem.FilesystemBucket;
import dev.orrery.objstore.s3.S3Bucket;
import dev.orrery.objstore.s3.S3Config;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A bucket for the objstore benchmarks: a {@link FilesystemBucket} in a temporary directory, or an {@link S3Bucket}
 * talking the S3 protocol to S3Proxy (in-memory backend) on 127.0.0.1 inside the benchmark JVM.
 */
final class BucketBackend implements AutoCloseable {
  private static final String ACCESS_KEY = "bench-access";
  private static final String SECRET_KEY = "bench-secret";

  final Bucket bucket;
  private final Path directory;
  private final S3Proxy proxy;

  private BucketBackend(Bucket bucket, Path directory, S3Proxy proxy) {
    this.bucket = bucket;
    this.directory = directory;
    this.proxy = proxy;
  }

  static BucketBackend open(String kind) throws Exception {
    return switch (kind) {
      case "filesystem" -> {
        Path directory = Files.createTempDirectory("orrery-bench-bucket");
        yield new BucketBackend(FilesystemBucket.open(directory), directory, null);
      }
      case "s3proxy" -> {
        S3Proxy proxy = S3Proxy.builder()
            .blobStore(new TransientNio2BlobStore())
            .endpoint(URI.create("http://127.0.0.1:0"))
            .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
            .build();
        proxy.start();
        while (!proxy.getState().equals("STARTED")) {
          Thread.sleep(10);
        }
        String endpoint = "127.0.0.1:" + proxy.getPort();
        try (S3Client admin = S3Client.builder().endpointOverride(URI.create("http://" + endpoint))
            .region(Region.US_EAST_1).forcePathStyle(true)
            .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
            .build()) {
          admin.createBucket(request -> request.bucket("bench"));
        }
        BucketSettings settings = new BucketSettings("bench", "S3", "", Map.of("bucket", "bench", "endpoint",
            endpoint, "insecure", "true", "access_key", ACCESS_KEY, "secret_key", SECRET_KEY));
        yield new BucketBackend(S3Bucket.open(S3Config.from(settings)), null, proxy);
      }
      default -> throw new IllegalArgumentException("unknown backend " + kind);
    };
  }

  @Override
  public void close() throws Exception {
    bucket.close();
    if (proxy != null) {
      proxy.stop();
    }
    if (directory != null) {
      try (Stream<Path> walk = Files.walk(directory)) {
        for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(path);
        }
      } catch (IOException e) {
        // A temporary directory; the OS cleans up what is left.
      }
    }
  }
}
