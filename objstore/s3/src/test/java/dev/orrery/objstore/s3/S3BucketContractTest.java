package dev.orrery.objstore.s3;

import dev.orrery.objstore.Bucket;
import dev.orrery.objstore.BucketContractTest;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The {@link Bucket} contract over the real S3 protocol, against S3Proxy in this JVM. */
class S3BucketContractTest extends BucketContractTest {
  private static S3ProxyServer server;

  @BeforeAll
  static void startServer() throws Exception {
    server = S3ProxyServer.start();
  }

  @AfterAll
  static void stopServer() throws Exception {
    server.close();
  }

  @Override
  protected Bucket newBucket() throws Exception {
    // The smallest part size S3 allows, so that the suite's 5 MiB object goes up as a multipart upload.
    return S3Bucket.open(S3Config.from(server.settings(server.createBucket(), Map.of("part_size", "5242880"))));
  }
}
