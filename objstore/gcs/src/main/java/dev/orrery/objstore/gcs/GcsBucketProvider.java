package dev.orrery.objstore.gcs;

import dev.orrery.objstore.Bucket;
import dev.orrery.objstore.BucketProvider;
import dev.orrery.objstore.BucketSettings;
import java.io.IOException;

/**
 * Opens {@link GcsBucket}s for the URL scheme {@code gs} ({@code gs://bucket/prefix}) and Thanos' objstore type
 * {@code GCS}, with the keys documented on {@link GcsConfig}.
 */
public final class GcsBucketProvider implements BucketProvider {
  /** Creates the provider; called by {@link java.util.ServiceLoader}. */
  public GcsBucketProvider() {}

  @Override
  public String scheme() {
    return "gs";
  }

  @Override
  public String type() {
    return "GCS";
  }

  @Override
  public Bucket open(BucketSettings settings) throws IOException {
    return GcsBucket.open(GcsConfig.from(settings), settings);
  }
}
