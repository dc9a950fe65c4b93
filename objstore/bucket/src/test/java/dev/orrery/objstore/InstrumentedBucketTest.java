package dev.orrery.objstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class InstrumentedBucketTest {
  private final PrometheusRegistry registry = new PrometheusRegistry();

  private String scrape() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrometheusTextFormatWriter.create().write(out, registry.scrape());
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void operationsAreCountedUnderThanosNames() throws IOException {
    BucketMetrics metrics = BucketMetrics.register(registry);
    try (Bucket bucket = new InstrumentedBucket(new InMemoryBucket(), metrics, "blocks",
        e -> e instanceof ObjectNotFoundException)) {
      bucket.upload("a/meta.json", new byte[100]);
      try (InputStream in = bucket.getRange("a/meta.json", 10, 50)) {
        in.readAllBytes();
      }
      bucket.readAllBytes("a/meta.json");
      bucket.exists("a/meta.json");
      bucket.attributes("a/meta.json");
      bucket.list("", IterOptions.FLAT);
      bucket.delete("a/meta.json");
      assertThatThrownBy(() -> bucket.get("missing")).isInstanceOf(ObjectNotFoundException.class);
    }
    String text = scrape();
    assertThat(text)
        .contains("thanos_objstore_bucket_operations_total{bucket=\"blocks\",operation=\"get\"} 2.0")
        .contains("thanos_objstore_bucket_operations_total{bucket=\"blocks\",operation=\"get_range\"} 1.0")
        .contains("thanos_objstore_bucket_operations_total{bucket=\"blocks\",operation=\"upload\"} 1.0")
        .contains("thanos_objstore_bucket_operations_total{bucket=\"blocks\",operation=\"exists\"} 1.0")
        .contains("thanos_objstore_bucket_operations_total{bucket=\"blocks\",operation=\"attributes\"} 1.0")
        .contains("thanos_objstore_bucket_operations_total{bucket=\"blocks\",operation=\"iter\"} 1.0")
        .contains("thanos_objstore_bucket_operations_total{bucket=\"blocks\",operation=\"delete\"} 1.0")
        .contains("thanos_objstore_bucket_operation_failures_total{bucket=\"blocks\",operation=\"get\"} 0.0")
        .contains("thanos_objstore_bucket_operation_fetched_bytes_total{bucket=\"blocks\",operation=\"get\"} 100.0")
        .contains("thanos_objstore_bucket_operation_fetched_bytes_total{bucket=\"blocks\",operation=\"get_range\"} 50.0")
        .contains("thanos_objstore_bucket_operation_duration_seconds_bucket{bucket=\"blocks\",operation=\"get\",le=\"0.001\"}")
        .contains("thanos_objstore_bucket_operation_transferred_bytes_bucket{bucket=\"blocks\",operation=\"upload\",le=\"32768.0\"} 1")
        .contains("thanos_objstore_bucket_last_successful_upload_time{bucket=\"blocks\"}");
  }

  @Test
  void unexpectedFailuresAreCounted() throws IOException {
    BucketMetrics metrics = BucketMetrics.register(registry);
    Bucket failing = new ForwardingBucket(new InMemoryBucket()) {
      @Override
      public void upload(String key, byte[] content) throws IOException {
        throw new RetryableBucketException("500");
      }
    };
    try (Bucket bucket = new InstrumentedBucket(failing, metrics)) {
      assertThatThrownBy(() -> bucket.upload("k", new byte[1])).isInstanceOf(IOException.class);
      assertThatThrownBy(() -> bucket.get("missing")).isInstanceOf(ObjectNotFoundException.class);
    }
    assertThat(scrape())
        .contains("thanos_objstore_bucket_operation_failures_total{bucket=\"mem\",operation=\"upload\"} 1.0")
        .contains("thanos_objstore_bucket_operation_failures_total{bucket=\"mem\",operation=\"get\"} 1.0");
  }
}
