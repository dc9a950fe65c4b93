package dev.orrery.objstore.filesystem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orrery.objstore.Bucket;
import dev.orrery.objstore.BucketContractTest;
import dev.orrery.objstore.IterOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FilesystemBucketTest extends BucketContractTest {
  @TempDir
  Path root;

  @Override
  protected Bucket newBucket() throws IOException {
    return FilesystemBucket.open(root.resolve("bucket"));
  }

  @Test
  void keyIsTheFileBelowTheRoot() throws IOException {
    bucket.upload("01J/chunks/000001", new byte[] {1, 2, 3});
    assertThat(root.resolve("bucket/01J/chunks/000001")).hasBinaryContent(new byte[] {1, 2, 3});
  }

  @Test
  void symbolicLinkOutOfTheRootIsRefused() throws IOException {
    Path outside = Files.createDirectories(root.resolve("outside"));
    Files.writeString(outside.resolve("secret"), "secret");
    Files.createSymbolicLink(root.resolve("bucket/escape"), outside);
    assertThatThrownBy(() -> bucket.get("escape/secret")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("outside the bucket root");
    assertThatThrownBy(() -> bucket.upload("escape/new", new byte[] {1}))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(outside.resolve("new")).doesNotExist();
  }

  @Test
  void uploadsInProgressAreInvisibleAndCleanedUp() throws IOException {
    bucket.upload("a", new byte[] {1});
    assertThat(root.resolve("bucket").resolve(FilesystemBucket.TEMP_DIRECTORY)).isEmptyDirectory();
    assertThat(bucket.list("", IterOptions.FLAT)).containsExactly("a");
    assertThatThrownBy(() -> bucket.upload(FilesystemBucket.TEMP_DIRECTORY + "/x", new byte[] {1}))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void emptyDirectoriesLeftByOthersAreNotListed() throws IOException {
    Files.createDirectories(root.resolve("bucket/empty/nested"));
    bucket.upload("full/a", new byte[] {1});
    assertThat(bucket.list("", IterOptions.FLAT)).containsExactly("full/");
  }
}
