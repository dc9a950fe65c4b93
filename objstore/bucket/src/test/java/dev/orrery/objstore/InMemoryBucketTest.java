package dev.orrery.objstore;

class InMemoryBucketTest extends BucketContractTest {
  @Override
  protected Bucket newBucket() {
    return new InMemoryBucket();
  }
}
