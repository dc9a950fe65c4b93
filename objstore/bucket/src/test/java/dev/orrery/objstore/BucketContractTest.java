package dev.orrery.objstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The conformance suite of {@link Bucket}: every implementation and wrapper extends it and supplies a fresh, empty
 * bucket per test. It follows Thanos' {@code objstore.AcceptanceTest} and adds the rules Orrery's contract adds
 * (atomic replacement, ranges past the end, interruption, closing).
 */
public abstract class BucketContractTest {
  /** The bucket under test, fresh and empty for each test. */
  protected Bucket bucket;

  @TempDir
  Path temporaryDirectory;

  /**
   * Returns a new, empty bucket; the suite closes it after each test.
   *
   * @return the bucket under test
   * @throws Exception if it cannot be created
   */
  protected abstract Bucket newBucket() throws Exception;

  /** How far the store's last-modified time may be from the local clock (stores round to seconds). */
  protected Duration clockTolerance() {
    return Duration.ofSeconds(2);
  }

  /** The size of the "large" object of {@link #largeObjectRoundTripsAndRanges()}. */
  protected int largeObjectBytes() {
    return 5 * 1024 * 1024 + 123;
  }

  @BeforeEach
  void openBucket() throws Exception {
    bucket = newBucket();
  }

  @AfterEach
  void closeBucket() throws Exception {
    Thread.interrupted();
    if (bucket != null) {
      bucket.close();
    }
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] read(InputStream in) throws IOException {
    try (in) {
      return in.readAllBytes();
    }
  }

  private static byte[] random(int size, long seed) {
    byte[] data = new byte[size];
    new Random(seed).nextBytes(data);
    return data;
  }

  @Test
  void uploadedObjectReadsBackEqual() throws IOException {
    bucket.upload("id1/obj_1.some", bytes("@test-data@"));
    assertThat(read(bucket.get("id1/obj_1.some"))).isEqualTo(bytes("@test-data@"));
    assertThat(bucket.readAllBytes("id1/obj_1.some")).isEqualTo(bytes("@test-data@"));
    assertThat(bucket.exists("id1/obj_1.some")).isTrue();
  }

  @Test
  void missingObjectIsNotFoundForEveryRead() throws IOException {
    assertThat(bucket.exists("id1/obj_1.some")).isFalse();
    assertThatThrownBy(() -> bucket.get("id1/obj_1.some")).isInstanceOf(ObjectNotFoundException.class);
    assertThatThrownBy(() -> read(bucket.getRange("id1/obj_1.some", 1, 3)))
        .isInstanceOf(ObjectNotFoundException.class);
    assertThatThrownBy(() -> bucket.attributes("id1/obj_1.some")).isInstanceOf(ObjectNotFoundException.class);
    ObjectNotFoundException notFound = (ObjectNotFoundException) catchThrowable(() -> bucket.get("a/b"));
    assertThat(notFound.key()).endsWith("a/b");
  }

  @Test
  void directoryIsNotAnObject() throws IOException {
    bucket.upload("dir/obj", bytes("x"));
    assertThat(bucket.exists("dir")).isFalse();
    assertThatThrownBy(() -> read(bucket.get("dir"))).isInstanceOf(ObjectNotFoundException.class);
    assertThatThrownBy(() -> bucket.attributes("dir")).isInstanceOf(ObjectNotFoundException.class);
  }

  @Test
  void rangeReadsFollowThanosSemantics() throws IOException {
    bucket.upload("id1/obj_1.some", bytes("@test-data@"));
    assertThat(read(bucket.getRange("id1/obj_1.some", 1, 3))).isEqualTo(bytes("tes"));
    assertThat(read(bucket.getRange("id1/obj_1.some", 0, 0))).isEmpty();
    assertThat(read(bucket.getRange("id1/obj_1.some", 1, -1))).isEqualTo(bytes("test-data@"));
    assertThat(read(bucket.getRange("id1/obj_1.some", 3, 9999))).isEqualTo(bytes("st-data@"));
    assertThat(read(bucket.getRange("id1/obj_1.some", 10, 5))).isEqualTo(bytes("@"));
  }

  @Test
  void rangeAtOrPastTheEndIsEmpty() throws IOException {
    bucket.upload("obj", bytes("0123456789"));
    assertThat(read(bucket.getRange("obj", 10, 5))).isEmpty();
    assertThat(read(bucket.getRange("obj", 124141, 3))).isEmpty();
    assertThat(read(bucket.getRange("obj", 124141, -1))).isEmpty();
  }

  @Test
  void rangeArgumentsAreChecked() throws IOException {
    bucket.upload("obj", bytes("0123456789"));
    assertThatThrownBy(() -> bucket.getRange("obj", -1, 3)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> bucket.getRange("obj", 0, -2)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void attributesGiveSizeAndLastModified() throws IOException {
    Instant before = Instant.now().minus(clockTolerance());
    bucket.upload("id1/obj_1.some", bytes("@test-data@"));
    Instant after = Instant.now().plus(clockTolerance());
    ObjectAttributes attributes = bucket.attributes("id1/obj_1.some");
    assertThat(attributes.sizeBytes()).isEqualTo(11);
    assertThat(attributes.lastModified()).isBetween(before, after);
  }

  @Test
  void emptyObjectExistsAndReadsEmpty() throws IOException {
    bucket.upload("empty", new byte[0]);
    assertThat(bucket.exists("empty")).isTrue();
    assertThat(read(bucket.get("empty"))).isEmpty();
    assertThat(read(bucket.getRange("empty", 0, 10))).isEmpty();
    assertThat(bucket.attributes("empty").sizeBytes()).isZero();
  }

  @Test
  void uploadReplacesTheObject() throws IOException {
    bucket.upload("obj", bytes("first version, longer"));
    bucket.upload("obj", bytes("second"));
    assertThat(read(bucket.get("obj"))).isEqualTo(bytes("second"));
    assertThat(bucket.attributes("obj").sizeBytes()).isEqualTo(6);
  }

  @Test
  void uploadOfUnknownLengthStoresTheWholeStream() throws IOException {
    byte[] data = random(300_000, 1);
    bucket.upload("unknown", new ByteArrayInputStream(data), Bucket.UNKNOWN_LENGTH);
    assertThat(read(bucket.get("unknown"))).isEqualTo(data);
  }

  @Test
  void uploadFromFileStoresTheFile() throws IOException {
    byte[] data = random(70_000, 2);
    Path file = Files.write(temporaryDirectory.resolve("chunk"), data);
    bucket.upload("b/chunks/000001", file);
    assertThat(read(bucket.get("b/chunks/000001"))).isEqualTo(data);
  }

  @Test
  void uploadThatEndsEarlyFailsAndStoresNothing() throws IOException {
    assertThatThrownBy(() -> bucket.upload("short", new ByteArrayInputStream(bytes("abc")), 10))
        .isInstanceOf(IOException.class);
    assertThat(bucket.exists("short")).isFalse();
  }

  @Test
  void failedReplacementKeepsTheOldObject() throws IOException {
    bucket.upload("obj", bytes("old"));
    InputStream failing = new InputStream() {
      private int left = 1000;

      @Override
      public int read() throws IOException {
        if (left <= 0) {
          throw new IOException("disk on fire");
        }
        left--;
        return 'x';
      }
    };
    assertThatThrownBy(() -> bucket.upload("obj", failing, 5000)).isInstanceOf(IOException.class);
    assertThat(read(bucket.get("obj"))).isEqualTo(bytes("old"));
  }

  @Test
  void deleteRemovesAndMissingDeleteIsNoop() throws IOException {
    bucket.upload("id1/obj_2.some", bytes("@test-data2@"));
    bucket.delete("id1/obj_2.some");
    assertThat(bucket.exists("id1/obj_2.some")).isFalse();
    assertThatThrownBy(() -> bucket.get("id1/obj_2.some")).isInstanceOf(ObjectNotFoundException.class);
    bucket.delete("id1/obj_2.some");
    bucket.delete("never/existed");
  }

  private void uploadThanosAcceptanceLayout() throws IOException {
    bucket.upload("id1/obj_1.some", bytes("@test-data@"));
    bucket.upload("id1/obj_2.some", bytes("@test-data2@"));
    bucket.upload("id1/obj_3.some", bytes("@test-data3@"));
    bucket.upload("id1/sub/subobj_1.some", bytes("@test-data4@"));
    bucket.upload("id1/sub/subobj_2.some", bytes("@test-data5@"));
    bucket.upload("id2/obj_4.some", bytes("@test-data6@"));
    bucket.upload("obj_5.some", bytes("@test-data7@"));
  }

  @Test
  void flatIterationListsObjectsAndDirectories() throws IOException {
    uploadThanosAcceptanceLayout();
    assertThat(bucket.list("", IterOptions.FLAT)).containsExactly("id1/", "id2/", "obj_5.some");
    List<String> expected = List.of("id1/obj_1.some", "id1/obj_2.some", "id1/obj_3.some", "id1/sub/");
    assertThat(bucket.list("id1/", IterOptions.FLAT)).isEqualTo(expected);
    assertThat(bucket.list("id1", IterOptions.FLAT)).isEqualTo(expected);
    assertThat(bucket.list("id1/sub", IterOptions.FLAT))
        .containsExactly("id1/sub/subobj_1.some", "id1/sub/subobj_2.some");
  }

  @Test
  void recursiveIterationListsEveryObjectBelow() throws IOException {
    uploadThanosAcceptanceLayout();
    assertThat(bucket.list("", IterOptions.RECURSIVE)).containsExactly("id1/obj_1.some", "id1/obj_2.some",
        "id1/obj_3.some", "id1/sub/subobj_1.some", "id1/sub/subobj_2.some", "id2/obj_4.some", "obj_5.some");
    assertThat(bucket.list("id1", IterOptions.RECURSIVE)).containsExactly("id1/obj_1.some", "id1/obj_2.some",
        "id1/obj_3.some", "id1/sub/subobj_1.some", "id1/sub/subobj_2.some");
  }

  @Test
  void iterationOfMissingDirectoryOrObjectIsEmpty() throws IOException {
    uploadThanosAcceptanceLayout();
    assertThat(bucket.list("id0", IterOptions.FLAT)).isEmpty();
    assertThat(bucket.list("id0", IterOptions.RECURSIVE)).isEmpty();
    assertThat(bucket.list("id1/obj_1.some", IterOptions.FLAT)).isEmpty();
    assertThat(bucket.list("id1/obj_1.some", IterOptions.RECURSIVE)).isEmpty();
    assertThat(bucket.list("id", IterOptions.FLAT)).isEmpty();
  }

  @Test
  void iterationReportsEachEntryOnce() throws IOException {
    uploadThanosAcceptanceLayout();
    List<String> seen = new ArrayList<>();
    bucket.iterate("", IterOptions.FLAT, seen::add);
    assertThat(seen).doesNotHaveDuplicates().hasSize(3);
    seen.clear();
    bucket.iterate("", IterOptions.RECURSIVE, seen::add);
    assertThat(seen).doesNotHaveDuplicates().hasSize(7);
  }

  @Test
  void directoryDisappearsWithItsLastObject() throws IOException {
    uploadThanosAcceptanceLayout();
    bucket.delete("id2/obj_4.some");
    assertThat(bucket.list("", IterOptions.FLAT)).containsExactly("id1/", "obj_5.some");
    bucket.delete("id1/sub/subobj_1.some");
    bucket.delete("id1/sub/subobj_2.some");
    assertThat(bucket.list("id1", IterOptions.FLAT))
        .containsExactly("id1/obj_1.some", "id1/obj_2.some", "id1/obj_3.some");
  }

  @Test
  void visitorFailureStopsIterationUnchanged() throws IOException {
    uploadThanosAcceptanceLayout();
    IOException stop = new IOException("stop here");
    List<String> seen = new ArrayList<>();
    Throwable thrown = catchThrowable(() -> bucket.iterate("", IterOptions.RECURSIVE, key -> {
      seen.add(key);
      throw stop;
    }));
    assertThat(thrown).isSameAs(stop);
    assertThat(seen).hasSize(1);
  }

  @Test
  void keysWithUnusualCharactersRoundTrip() throws IOException {
    List<String> keys = List.of("dir with space/a b.txt", "dir/plus+sign", "dir/percent%20", "dir/ünïcødé-ключ",
        "dir/equals=&amp", "dir/tilde~star*");
    for (String key : keys) {
      bucket.upload(key, bytes(key));
    }
    for (String key : keys) {
      assertThat(read(bucket.get(key))).as(key).isEqualTo(bytes(key));
    }
    List<String> expected = new ArrayList<>(keys.subList(1, keys.size()));
    expected.sort(null);
    assertThat(bucket.list("dir", IterOptions.FLAT)).isEqualTo(expected);
    assertThat(bucket.list("dir with space", IterOptions.FLAT)).containsExactly("dir with space/a b.txt");
  }

  @Test
  void invalidKeysAreRejected() {
    for (String key : List.of("", "/abs", "trailing/", "a//b", "a/../b", "..", "./a")) {
      assertThatThrownBy(() -> bucket.upload(key, bytes("x"))).as(key).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> bucket.get(key)).as(key).isInstanceOf(IllegalArgumentException.class);
    }
    assertThatThrownBy(() -> bucket.list("../outside", IterOptions.FLAT))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void largeObjectRoundTripsAndRanges() throws IOException {
    byte[] data = random(largeObjectBytes(), 3);
    bucket.upload("large/object", new ByteArrayInputStream(data), data.length);
    assertThat(bucket.attributes("large/object").sizeBytes()).isEqualTo(data.length);
    assertThat(read(bucket.get("large/object"))).isEqualTo(data);
    Random random = new Random(4);
    for (int i = 0; i < 10; i++) {
      int offset = random.nextInt(data.length);
      int length = random.nextInt(200_000);
      int end = Math.min(data.length, offset + length);
      byte[] expected = java.util.Arrays.copyOfRange(data, offset, end);
      assertThat(read(bucket.getRange("large/object", offset, length))).as("range %d+%d", offset, length)
          .isEqualTo(expected);
    }
  }

  @Test
  void readersNeverSeeAPartialObject() throws Exception {
    byte[] first = new byte[256 * 1024];
    byte[] second = new byte[256 * 1024];
    java.util.Arrays.fill(first, (byte) 'a');
    java.util.Arrays.fill(second, (byte) 'b');
    bucket.upload("obj", first);
    AtomicBoolean done = new AtomicBoolean();
    List<Throwable> failures = new CopyOnWriteArrayList<>();
    Thread reader = Thread.ofPlatform().start(() -> {
      try {
        while (!done.get()) {
          byte[] seen = read(bucket.get("obj"));
          if (!java.util.Arrays.equals(seen, first) && !java.util.Arrays.equals(seen, second)) {
            failures.add(new AssertionError("partial object of " + seen.length + " bytes"));
          }
        }
      } catch (Throwable e) {
        failures.add(e);
      }
    });
    try {
      for (int i = 0; i < 10; i++) {
        bucket.upload("obj", new ByteArrayInputStream(i % 2 == 0 ? second : first), first.length);
      }
    } finally {
      done.set(true);
      reader.join();
    }
    assertThat(failures).isEmpty();
  }

  @Test
  void interruptedCallFailsAndKeepsTheInterrupt() throws IOException {
    bucket.upload("obj", bytes("data"));
    Thread.currentThread().interrupt();
    try {
      Throwable thrown = catchThrowable(() -> read(bucket.get("obj")));
      assertThat(thrown).isInstanceOfAny(InterruptedIOException.class, ClosedByInterruptException.class);
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
    assertThat(read(bucket.get("obj"))).isEqualTo(bytes("data"));
  }

  @Test
  void closeIsIdempotentAndLaterCallsFail() throws IOException {
    bucket.close();
    bucket.close();
    assertThatThrownBy(() -> bucket.exists("obj")).isInstanceOf(IllegalStateException.class);
    bucket = null;
  }
}
