package dev.orrery.objstore.s3;

import dev.orrery.objstore.Bucket;
import dev.orrery.objstore.BucketProvider;
import dev.orrery.objstore.BucketSettings;
import java.io.IOException;

/**
 * Opens {@link S3Bucket}s for the URL scheme {@code s3} ({@code s3://bucket/prefix?endpoint=host:port&insecure=true})
 * and Thanos' objstore type {@code S3}, with the keys documented on {@link S3Config}.
 */
public final class S3BucketProvider implements BucketProvider {
  /** Creates the provider; called by {@link java.util.ServiceLoader}. */
  public S3BucketProvider() {}

  @Override
  public String scheme() {
    return "s3";
  }

  @Override
  public String type() {
    return "S3";
  }

  @Override
  public Bucket open(BucketSettings settings) throws IOException {
    return S3Bucket.open(S3Config.from(settings));
  }
}
