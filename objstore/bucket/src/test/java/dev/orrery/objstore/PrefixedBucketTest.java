package dev.orrery.objstore;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.junit.jupiter.api.Test;

class PrefixedBucketTest extends BucketContractTest {
  private InMemoryBucket underlying;

  @Override
  protected Bucket newBucket() throws IOException {
    underlying = new InMemoryBucket();
    underlying.upload("other/outside", new byte[] {1});
    underlying.upload("tenant-outside", new byte[] {1});
    return new PrefixedBucket(underlying, "tenant/a");
  }

  @Test
  void keysLandUnderThePrefix() throws IOException {
    bucket.upload("01J/meta.json", new byte[] {2});
    assertThat(underlying.list("", IterOptions.RECURSIVE))
        .containsExactly("other/outside", "tenant-outside", "tenant/a/01J/meta.json");
    assertThat(bucket.list("", IterOptions.FLAT)).containsExactly("01J/");
  }
}
