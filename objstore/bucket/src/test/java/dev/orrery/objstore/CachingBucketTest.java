package dev.orrery.objstore;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CachingBucketTest {
  private final AtomicInteger reads = new AtomicInteger();
  private final InMemoryBucket store = new InMemoryBucket();
  private final Bucket counting = new ForwardingBucket(store) {
    @Override
    public InputStream get(String key) throws IOException {
      reads.incrementAndGet();
      return super.get(key);
    }

    @Override
    public InputStream getRange(String key, long offset, long length) throws IOException {
      reads.incrementAndGet();
      return super.getRange(key, offset, length);
    }
  };

  private static byte[] read(InputStream in) throws IOException {
    try (in) {
      return in.readAllBytes();
    }
  }

  @Test
  void smallObjectsAreReadOnceAndRangesServedFromThem() throws IOException {
    store.upload("b/meta.json", "{\"ulid\":\"x\"}".getBytes());
    try (CachingBucket cache = CachingBucket.builder(counting).cacheable(k -> k.endsWith("meta.json")).build()) {
      for (int i = 0; i < 5; i++) {
        assertThat(read(cache.get("b/meta.json"))).isEqualTo("{\"ulid\":\"x\"}".getBytes());
      }
      assertThat(read(cache.getRange("b/meta.json", 2, 4))).isEqualTo("ulid".getBytes());
      assertThat(reads).hasValue(1);
      assertThat(cache.stats().hitCount()).isEqualTo(5);
    }
  }

  @Test
  void uncacheableAndLargeObjectsPassThrough() throws IOException {
    store.upload("b/index", new byte[5000]);
    store.upload("b/chunks/000001", new byte[10]);
    try (CachingBucket cache = CachingBucket.builder(counting).maxObjectBytes(1000)
        .cacheable(k -> !k.contains("chunks")).build()) {
      assertThat(read(cache.get("b/index"))).hasSize(5000);
      assertThat(read(cache.get("b/index"))).hasSize(5000);
      assertThat(read(cache.get("b/chunks/000001"))).hasSize(10);
      assertThat(read(cache.get("b/chunks/000001"))).hasSize(10);
      assertThat(reads).hasValue(4);
      // A small range of the large index is cached by itself.
      assertThat(read(cache.getRange("b/index", 100, 200))).hasSize(200);
      assertThat(read(cache.getRange("b/index", 100, 200))).hasSize(200);
      assertThat(reads).hasValue(5);
    }
  }

  @Test
  void cacheStaysWithinItsByteBound() throws IOException {
    try (CachingBucket cache = CachingBucket.builder(counting).maxBytes(100_000).maxObjectBytes(10_000).build()) {
      for (int i = 0; i < 100; i++) {
        store.upload("o/" + i, new byte[5_000]);
        read(cache.get("o/" + i));
      }
      cache.get("o/0").close();
      assertThat(cache.weightBytes()).isLessThanOrEqualTo(100_000);
      assertThat(cache.stats().evictionCount()).isPositive();
    }
  }

  @Test
  void uploadAndDeleteThroughTheCacheInvalidate() throws IOException {
    try (CachingBucket cache = CachingBucket.builder(counting).build()) {
      cache.upload("k", "one".getBytes());
      assertThat(read(cache.get("k"))).isEqualTo("one".getBytes());
      cache.upload("k", "two".getBytes());
      assertThat(read(cache.get("k"))).isEqualTo("two".getBytes());
      cache.delete("k");
      assertThat(cache.exists("k")).isFalse();
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> cache.get("k"))
          .isInstanceOf(ObjectNotFoundException.class);
    }
  }
}
