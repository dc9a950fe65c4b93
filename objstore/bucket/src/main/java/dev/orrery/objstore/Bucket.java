package dev.orrery.objstore;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A flat namespace of immutable byte objects addressed by string keys: the object-storage abstraction every other
 * part of Orrery reads blocks from and writes blocks to. Its shape follows Thanos' {@code objstore.Bucket}, so that
 * a Thanos bucket is an Orrery bucket.
 *
 * <h2>Keys</h2>
 * A key is a non-empty string of {@code /}-separated segments: it does not start or end with {@code /}, has no
 * empty segment ({@code //}), no {@code .} or {@code ..} segment and no NUL character. Keys that break these rules
 * are rejected with {@link IllegalArgumentException}. "Directories" exist only as shared key prefixes.
 *
 * <h2>Semantics every implementation keeps (checked by {@code BucketContractTest})</h2>
 * <ul>
 *   <li><b>Atomic uploads.</b> An object appears whole or not at all: no reader ever sees a partly written object,
 *       and an upload that fails leaves the previous version (or nothing) in place. A second upload to the same key
 *       replaces the object.
 *   <li><b>Read-after-write.</b> Once {@code upload} returns, {@code get}, {@code exists}, {@code attributes} and
 *       {@code iterate} see the new object; once {@code delete} returns they no longer do.
 *   <li><b>Missing objects.</b> {@code get}, {@code getRange} and {@code attributes} throw {@link
 *       ObjectNotFoundException}; {@code exists} returns {@code false}; {@code delete} of a missing object is a
 *       no-op (S3 reports no error for it, so no caller may rely on one).
 *   <li><b>Ranges.</b> {@code getRange(key, offset, length)} returns bytes {@code [offset, offset + length)}
 *       clipped to the object's end; {@code length == -1} reads to the end; an offset at or past the end gives an
 *       empty stream.
 *   <li><b>Iteration</b> (Thanos' {@code Iter}). A non-empty prefix names a directory: {@code "a"} and
 *       {@code "a/"} are the same, and a prefix that names an object, or nothing, yields no entries and no error.
 *       Keys are reported relative to the bucket root ({@code "a/b"}, never {@code "b"}). In {@link IterOptions#FLAT
 *       flat} mode the visitor gets the objects directly inside the directory and one entry per sub-directory,
 *       ending in {@code /}; in {@link IterOptions#RECURSIVE recursive} mode every object below it and no
 *       directories. Each entry is reported once; the order is unspecified. Objects uploaded or deleted during an
 *       iteration may or may not be reported.
 *   <li><b>Interruption and timeouts.</b> All operations block the calling thread, which may be a virtual thread. If
 *       the thread is interrupted before or during an operation, the operation fails with an {@link
 *       java.io.InterruptedIOException} (or the channel's {@link java.nio.channels.ClosedByInterruptException}) and
 *       the interrupt status stays set. Remote implementations bound every request by the timeouts of their
 *       configuration and report an expired timeout as {@link RetryableBucketException}.
 *   <li><b>Errors.</b> Transient failures (5xx, throttling, reset connections, timeouts) are {@link
 *       RetryableBucketException}; refused credentials are {@link BucketAccessDeniedException}; anything else is a
 *       plain {@link IOException}. Implementations do not retry on their own beyond what their client library does
 *       per request; wrap them in {@link RetryingBucket} for that.
 * </ul>
 *
 * <h2>Threads and resources</h2>
 * Implementations are thread-safe. Each returned {@link InputStream} belongs to the caller, who must close it; it is
 * confined to one thread at a time and stays readable until closed even if the object is deleted or replaced
 * meanwhile (it then returns the old bytes or fails with an {@link IOException}, depending on the store).
 * {@link #close()} releases the bucket's clients; it is idempotent, and operations started after it throw {@link
 * IllegalStateException}. A bucket never starts threads of its own.
 *
 * {@snippet :
 * try (Bucket bucket = BucketProviders.installed().open("file:///var/lib/orrery/bucket")) {
 *   bucket.upload("01JABCDEFGHJKMNPQRSTVWXYZ0/meta.json", metaBytes);
 *   for (String dir : bucket.list("", IterOptions.FLAT)) {
 *     System.out.println(dir);  // "01JABCDEFGHJKMNPQRSTVWXYZ0/"
 *   }
 * }
 * }
 */
public interface Bucket extends AutoCloseable {
  /** The {@code length} to pass to {@link #upload(String, InputStream, long)} when the length is not known. */
  long UNKNOWN_LENGTH = -1;

  /**
   * Returns a short name for this bucket: the bucket name of a cloud store, the directory of a filesystem bucket.
   * Used in error messages and as the {@code bucket} label of {@link InstrumentedBucket}'s metrics.
   */
  String name();

  /**
   * Opens the whole object for reading.
   *
   * @param key the object's key
   * @return a stream of the object's bytes; the caller closes it
   * @throws ObjectNotFoundException if there is no object with that key
   * @throws IOException if the store cannot be read
   */
  InputStream get(String key) throws IOException;

  /**
   * Opens a byte range of an object for reading.
   *
   * @param key the object's key
   * @param offset the first byte to read, {@code >= 0}; at or past the end gives an empty stream
   * @param length how many bytes to read at most, {@code >= 0}, or {@code -1} for "to the end"
   * @return a stream of at most {@code length} bytes; the caller closes it
   * @throws IllegalArgumentException if {@code offset < 0} or {@code length < -1}
   * @throws ObjectNotFoundException if there is no object with that key
   * @throws IOException if the store cannot be read
   */
  InputStream getRange(String key, long offset, long length) throws IOException;

  /**
   * Tells whether an object exists. A "directory" (a prefix of other keys) is not an object.
   *
   * @param key the object's key
   * @return whether the object exists
   * @throws IOException if the store cannot be asked
   */
  boolean exists(String key) throws IOException;

  /**
   * Returns an object's size and last-modified time.
   *
   * @param key the object's key
   * @return the attributes
   * @throws ObjectNotFoundException if there is no object with that key
   * @throws IOException if the store cannot be asked
   */
  ObjectAttributes attributes(String key) throws IOException;

  /**
   * Uploads an object from a stream, replacing any object with the same key. The upload is atomic (see the class
   * documentation). The stream is read to its end (or to {@code length} bytes) but not closed: the caller owns it.
   *
   * @param key the object's key
   * @param body the bytes to store
   * @param length the exact number of bytes {@code body} holds, or {@link #UNKNOWN_LENGTH}; implementations use a
   *     known length to pick a single request or a multipart upload
   * @throws IOException if the stream ends before {@code length} bytes, if reading it fails, or if the store
   *     refuses the upload; the object is then unchanged
   */
  void upload(String key, InputStream body, long length) throws IOException;

  /**
   * Uploads an object from a byte array. Wrappers may retry this form because the body can be read again.
   *
   * @param key the object's key
   * @param content the bytes to store; not modified and not kept
   * @throws IOException if the store refuses the upload
   */
  default void upload(String key, byte[] content) throws IOException {
    upload(key, new ByteArrayInputStream(content), content.length);
  }

  /**
   * Uploads an object from a local file. Wrappers may retry this form because the file can be read again.
   *
   * @param key the object's key
   * @param file the file whose bytes to store; must not change during the upload
   * @throws IOException if the file cannot be read or the store refuses the upload
   */
  default void upload(String key, Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      upload(key, in, Files.size(file));
    }
  }

  /**
   * Deletes an object. Deleting a missing object is not an error.
   *
   * @param key the object's key
   * @throws IOException if the store refuses the deletion
   */
  void delete(String key) throws IOException;

  /**
   * Walks the keys under a directory prefix, as Thanos' {@code Iter} does (see the class documentation).
   *
   * @param prefix a directory, with or without the trailing {@code /}; {@code ""} for the bucket root
   * @param options flat or recursive
   * @param visitor called once per entry, on the calling thread; an exception it throws ends the walk and is
   *     rethrown
   * @throws IOException if listing fails, or as thrown by the visitor
   */
  void iterate(String prefix, IterOptions options, KeyVisitor visitor) throws IOException;

  /**
   * Collects {@link #iterate} into a sorted list (UTF-16 order of {@link String#compareTo}), for small directories.
   *
   * @param prefix a directory, with or without the trailing {@code /}; {@code ""} for the bucket root
   * @param options flat or recursive
   * @return the keys, sorted
   * @throws IOException if listing fails
   */
  default List<String> list(String prefix, IterOptions options) throws IOException {
    List<String> keys = new ArrayList<>();
    iterate(prefix, options, keys::add);
    keys.sort(null);
    return keys;
  }

  /**
   * Reads a whole object into memory, for small objects such as {@code meta.json}.
   *
   * @param key the object's key
   * @return the object's bytes
   * @throws ObjectNotFoundException if there is no object with that key
   * @throws IOException if the store cannot be read
   */
  default byte[] readAllBytes(String key) throws IOException {
    try (InputStream in = get(key)) {
      return in.readAllBytes();
    }
  }

  /**
   * Releases the clients and files this bucket holds. Idempotent.
   *
   * @throws IOException if releasing fails
   */
  @Override
  void close() throws IOException;
}
