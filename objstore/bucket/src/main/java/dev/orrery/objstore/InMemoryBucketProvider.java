package dev.orrery.objstore;

import java.io.IOException;
import java.time.Clock;
import java.util.Set;

/**
 * Opens {@link InMemoryBucket}s: the URL {@code mem://name} and the objstore type {@code MEM} (Orrery's, for
 * tests; Thanos has no such type). Every call opens a new, empty bucket: two {@code mem://x} buckets share nothing.
 */
public final class InMemoryBucketProvider implements BucketProvider {
  /** Creates the provider; called by {@link java.util.ServiceLoader}. */
  public InMemoryBucketProvider() {}

  @Override
  public String scheme() {
    return "mem";
  }

  @Override
  public String type() {
    return "MEM";
  }

  @Override
  public Bucket open(BucketSettings settings) throws IOException {
    settings.checkKnownKeys(Set.of("bucket"));
    String name = settings.string("bucket");
    return new InMemoryBucket(name == null ? "mem" : name, Clock.systemUTC());
  }
}
