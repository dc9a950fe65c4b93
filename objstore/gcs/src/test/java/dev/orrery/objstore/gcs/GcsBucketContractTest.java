package dev.orrery.objstore.gcs;

import com.google.cloud.storage.Storage;
import com.google.cloud.storage.contrib.nio.testing.LocalStorageHelper;
import dev.orrery.objstore.Bucket;
import dev.orrery.objstore.BucketContractTest;
import java.time.Duration;

/** The {@link Bucket} contract against the GCS client library's local storage helper (an in-process fake). */
class GcsBucketContractTest extends BucketContractTest {
  @Override
  protected Bucket newBucket() {
    Storage storage = LocalStorageHelper.customOptions(false).getService();
    // 256 KiB chunks, so that the suite's larger objects go through resumable upload sessions.
    return GcsBucket.wrap(storage, new GcsConfig("orrery-test", null, 256 * 1024, 3, Duration.ofSeconds(1),
        Duration.ofSeconds(10)));
  }
}
