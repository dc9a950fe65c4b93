package dev.orrery.objstore.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.orrery.objstore.Bucket;
import dev.orrery.objstore.BucketAccessDeniedException;
import dev.orrery.objstore.BucketConfigException;
import dev.orrery.objstore.BucketProviders;
import dev.orrery.objstore.BucketSettings;
import dev.orrery.objstore.IterOptions;
import dev.orrery.objstore.ObjectNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

class S3BucketTest {
  private static S3ProxyServer server;

  @TempDir
  Path directory;

  /** Counts requests by SDK request class name. */
  private final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();

  @BeforeAll
  static void startServer() throws Exception {
    server = S3ProxyServer.start();
  }

  @AfterAll
  static void stopServer() throws Exception {
    server.close();
  }

  private S3Bucket openCounting(Map<String, Object> extra) throws BucketConfigException {
    ExecutionInterceptor counter = new ExecutionInterceptor() {
      @Override
      public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        requests.computeIfAbsent(context.request().getClass().getSimpleName().replace("Request", ""),
            name -> new AtomicInteger()).incrementAndGet();
      }
    };
    return S3Bucket.open(S3Config.from(server.settings(server.createBucket(), extra)),
        new S3Bucket.Options().customizer(builder -> builder.overrideConfiguration(o -> o.addExecutionInterceptor(
            counter))));
  }

  private int count(String request) {
    AtomicInteger count = requests.get(request);
    return count == null ? 0 : count.get();
  }

  /** A deterministic pseudo-random stream of the given length. */
  private static InputStream seeded(long length, long seed) {
    return new InputStream() {
      private final SplittableRandom random = new SplittableRandom(seed);
      private long left = length;

      @Override
      public int read() {
        if (left == 0) {
          return -1;
        }
        left--;
        return random.nextInt(256);
      }

      @Override
      public int read(byte[] buffer, int offset, int count) {
        if (left == 0) {
          return -1;
        }
        int n = (int) Math.min(count, left);
        for (int i = 0; i < n; i++) {
          buffer[offset + i] = (byte) random.nextInt(256);
        }
        left -= n;
        return n;
      }
    };
  }

  private static byte[] sha256(InputStream in) throws IOException, NoSuchAlgorithmException {
    MessageDigest digest = MessageDigest.getInstance("SHA-256");
    try (DigestInputStream digesting = new DigestInputStream(in, digest)) {
      digesting.transferTo(java.io.OutputStream.nullOutputStream());
    }
    return digest.digest();
  }

  @Test
  void listingOf2500ObjectsPaginates() throws IOException {
    try (S3Bucket bucket = openCounting(Map.of())) {
      for (int i = 0; i < 2500; i++) {
        bucket.upload("blocks/%05d/meta.json".formatted(i), new byte[] {(byte) i});
      }
      bucket.upload("blocks/top-level-object", new byte[] {1});
      requests.clear();
      List<String> recursive = new ArrayList<>();
      bucket.iterate("blocks", IterOptions.RECURSIVE, recursive::add);
      assertThat(recursive).hasSize(2501).doesNotHaveDuplicates();
      assertThat(count("ListObjectsV2")).isEqualTo(3);

      requests.clear();
      Set<String> flat = new HashSet<>();
      bucket.iterate("blocks/", IterOptions.FLAT, key -> assertThat(flat.add(key)).as(key).isTrue());
      assertThat(flat).hasSize(2501).contains("blocks/00000/", "blocks/02499/", "blocks/top-level-object");
      assertThat(count("ListObjectsV2")).isEqualTo(3);
    }
  }

  @Test
  void hundredMibObjectUploadsAsMultipartAndReadsBackEqual() throws Exception {
    long size = 100L << 20;
    byte[] expected = sha256(seeded(size, 42));
    try (S3Bucket bucket = openCounting(Map.of("part_size", String.valueOf(16L << 20)))) {
      bucket.upload("big/index", seeded(size, 42), Bucket.UNKNOWN_LENGTH);
      assertThat(count("CreateMultipartUpload")).isEqualTo(1);
      assertThat(count("UploadPart")).isEqualTo(7);
      assertThat(count("CompleteMultipartUpload")).isEqualTo(1);
      assertThat(count("PutObject")).isZero();
      assertThat(bucket.attributes("big/index").sizeBytes()).isEqualTo(size);
      try (InputStream in = bucket.get("big/index")) {
        assertThat(sha256(in)).isEqualTo(expected);
      }
      // A range that spans a part boundary.
      try (InputStream in = bucket.getRange("big/index", (16L << 20) - 10, 20);
          InputStream reference = seeded(size, 42)) {
        reference.skipNBytes((16L << 20) - 10);
        assertThat(in.readAllBytes()).isEqualTo(reference.readNBytes(20));
      }
    }
  }

  @Test
  void largeFileUploadsInPartsReadFromTheFile() throws Exception {
    Path file = directory.resolve("index");
    try (InputStream in = seeded(12L << 20, 7)) {
      Files.copy(in, file);
    }
    try (S3Bucket bucket = openCounting(Map.of("part_size", String.valueOf(5L << 20)))) {
      bucket.upload("b/index", file);
      assertThat(count("UploadPart")).isEqualTo(3);
      try (InputStream in = bucket.get("b/index")) {
        assertThat(sha256(in)).isEqualTo(sha256(Files.newInputStream(file)));
      }
    }
  }

  @Test
  void knownLengthStreamThatEndsEarlyAbortsTheMultipartUpload() throws Exception {
    try (S3Bucket bucket = openCounting(Map.of("part_size", String.valueOf(5L << 20)))) {
      IOException e = catchThrowableOfType(IOException.class,
          () -> bucket.upload("b/short", seeded(11L << 20, 1), 12L << 20));
      assertThat(e).hasMessageContaining("body ended after");
      assertThat(count("AbortMultipartUpload")).isEqualTo(1);
      assertThat(bucket.exists("b/short")).isFalse();
    }
  }

  @Test
  void wrongSecretIsAccessDeniedNamingTheSettings() throws IOException {
    BucketSettings settings = server.settings(server.createBucket(), Map.of("secret_key", "not-the-secret"));
    try (S3Bucket bucket = S3Bucket.open(S3Config.from(settings))) {
      BucketAccessDeniedException e = catchThrowableOfType(BucketAccessDeniedException.class,
          () -> bucket.exists("x"));
      assertThat(e.getMessage()).contains("access denied").contains("check config access_key and secret_key")
          .doesNotContain("\n").doesNotContain("not-the-secret");
      e = catchThrowableOfType(BucketAccessDeniedException.class, () -> bucket.upload("x", new byte[1]));
      assertThat(e.getMessage()).contains("SignatureDoesNotMatch");
    }
  }

  @Test
  void missingBucketSaysSo() throws IOException {
    try (S3Bucket bucket = S3Bucket.open(S3Config.from(server.settings("no-such-bucket", Map.of())))) {
      IOException e = catchThrowableOfType(IOException.class, () -> bucket.upload("x", new byte[1]));
      assertThat(e.getMessage()).contains("NoSuchBucket").contains("check config bucket and endpoint");
      assertThat(catchThrowableOfType(IOException.class, () -> bucket.get("x")))
          .isNotInstanceOf(ObjectNotFoundException.class);
    }
  }

  @Test
  void urlAndThanosYamlOpenTheSameBucket() throws IOException {
    String name = server.createBucket();
    BucketProviders providers = BucketProviders.installed();
    String url = "s3://" + name + "/tenant?endpoint=" + server.hostPort() + "&insecure=true&access_key="
        + S3ProxyServer.ACCESS_KEY + "&secret_key=" + S3ProxyServer.SECRET_KEY;
    try (Bucket viaUrl = providers.open(url)) {
      viaUrl.upload("01J/meta.json", new byte[] {7});
    }
    String yaml = """
        type: S3
        config:
          bucket: %s
          endpoint: %s
          insecure: true
          access_key: %s
          secret_key: %s
          bucket_lookup_type: path
          http_config:
            idle_conn_timeout: 1m30s
            response_header_timeout: 2m
        prefix: tenant
        """.formatted(name, server.hostPort(), S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY);
    try (Bucket viaYaml = providers.openThanosConfig(yaml, "objstore.yml")) {
      assertThat(viaYaml.readAllBytes("01J/meta.json")).containsExactly(7);
      assertThat(viaYaml.list("", IterOptions.FLAT)).containsExactly("01J/");
    }
  }

  @Test
  void configErrorsNameTheSetting() {
    BucketProviders providers = BucketProviders.installed();
    assertThat(catchThrowableOfType(BucketConfigException.class,
        () -> providers.openThanosConfig("type: S3\nconfig:\n  endpoint: 127.0.0.1:9000\n", "objstore.yml")))
        .hasMessage("objstore.yml: config.bucket: missing (required for type S3)");
    assertThat(catchThrowableOfType(BucketConfigException.class,
        () -> providers.open("s3://?endpoint=127.0.0.1:9000")))
        .hasMessage("bucket URL s3://?endpoint=127.0.0.1:9000: bucket: missing (required for type S3)");
    assertThat(catchThrowableOfType(BucketConfigException.class,
        () -> providers.open("s3://b?endpoint=127.0.0.1:9000&access_key=AK")))
        .hasMessageEndingWith("secret_key: missing (access_key is set; set both or neither)");
    assertThat(catchThrowableOfType(BucketConfigException.class,
        () -> providers.open("s3://b?endpoint=127.0.0.1:9000&bucket_lookup_type=sideways")))
        .hasMessageContaining("bucket_lookup_type: must be auto, path or virtual-hosted");
    assertThat(catchThrowableOfType(BucketConfigException.class,
        () -> providers.open("s3://b?endpoint=127.0.0.1:9000&part_size=1024")))
        .hasMessageContaining("part_size: must be at least 5 MiB");
    assertThat(catchThrowableOfType(BucketConfigException.class, () -> providers.open("s3://b")))
        .hasMessageContaining("region: missing (required when no endpoint is set)");
    assertThat(catchThrowableOfType(BucketConfigException.class,
        () -> providers.openThanosConfig("type: S3\nconfig:\n  bucket: b\n  endpoint: h:1\n  http_config:\n"
            + "    idle_conn_timeout: soon\n", "objstore.yml")))
        .hasMessage("objstore.yml: config.http_config.idle_conn_timeout: must be a duration such as 30s, 1m30s or"
            + " 500ms, got 'soon'");
  }

  @Test
  void bucketLookupAutoUsesPathStyleOffAws() throws BucketConfigException {
    BucketSettings local = new BucketSettings("t", "S3", "", Map.of("bucket", "b", "endpoint", "minio:9000"));
    BucketSettings aws = new BucketSettings("t", "S3", "", Map.of("bucket", "b", "endpoint",
        "s3.eu-west-1.amazonaws.com", "region", "eu-west-1"));
    assertThat(S3Config.from(local).pathStyle()).isTrue();
    assertThat(S3Config.from(local).endpoint()).hasToString("https://minio:9000");
    assertThat(S3Config.from(aws).pathStyle()).isFalse();
    assertThat(S3Config.from(local).toString()).doesNotContain("secret");
  }
}
