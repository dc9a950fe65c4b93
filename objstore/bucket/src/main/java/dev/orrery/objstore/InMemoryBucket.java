package dev.orrery.objstore;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;

import static java.util.Objects.requireNonNull;

/**
 * A bucket held in the JVM's heap: the fake for tests (as okio's {@code FakeFileSystem} is for files) and the
 * {@code mem://} scheme. Every {@link Bucket} rule holds, including atomic replacement and read-after-write.
 *
 * <p>Thread-safe. Objects are stored as immutable byte arrays; streams returned by {@link #get} keep reading the
 * version they opened even after the object is replaced or deleted. The clock given to the constructor stamps
 * {@link ObjectAttributes#lastModified()}, so tests can control object ages.
 */
public final class InMemoryBucket implements Bucket {
  private record StoredObject(byte[] bytes, Instant lastModified) {}

  private final String name;
  private final Clock clock;
  private final ConcurrentNavigableMap<String, StoredObject> objects = new ConcurrentSkipListMap<>();
  private final BucketLifecycle lifecycle;

  /** Creates an empty bucket named {@code mem} that stamps objects with the system clock. */
  public InMemoryBucket() {
    this("mem", Clock.systemUTC());
  }

  /**
   * Creates an empty bucket.
   *
   * @param name the bucket's {@link #name()}
   * @param clock stamps each upload's last-modified time
   */
  public InMemoryBucket(String name, Clock clock) {
    this.name = requireNonNull(name, "name is null");
    this.lifecycle = new BucketLifecycle("bucket " + name);
    this.clock = requireNonNull(clock, "clock is null");
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public InputStream get(String key) throws IOException {
    return new ByteArrayInputStream(find("get", key).bytes());
  }

  @Override
  public InputStream getRange(String key, long offset, long length) throws IOException {
    ObjectKeys.checkRange(offset, length);
    byte[] bytes = find("get_range", key).bytes();
    if (offset >= bytes.length) {
      return InputStream.nullInputStream();
    }
    long available = bytes.length - offset;
    int count = (int) (length == -1 ? available : Math.min(length, available));
    return new ByteArrayInputStream(bytes, (int) offset, count);
  }

  @Override
  public boolean exists(String key) throws IOException {
    lifecycle.check("exists", key);
    return objects.containsKey(key);
  }

  @Override
  public ObjectAttributes attributes(String key) throws IOException {
    StoredObject object = find("attributes", key);
    return new ObjectAttributes(object.bytes().length, object.lastModified());
  }

  @Override
  public void upload(String key, InputStream body, long length) throws IOException {
    lifecycle.check("upload", key);
    requireNonNull(body, "body is null");
    if (length < UNKNOWN_LENGTH) {
      throw new IllegalArgumentException("length must be >= 0 or UNKNOWN_LENGTH, got " + length);
    }
    byte[] bytes;
    if (length == UNKNOWN_LENGTH) {
      bytes = body.readAllBytes();
    } else {
      if (length > Integer.MAX_VALUE - 8) {
        throw new IOException("upload " + key + ": " + length + " bytes do not fit an in-memory bucket");
      }
      bytes = body.readNBytes((int) length);
      if (bytes.length < length) {
        throw new IOException("upload " + key + ": body ended after " + bytes.length + " of " + length + " bytes");
      }
    }
    Interrupts.throwIfInterrupted("upload " + key);
    objects.put(key, new StoredObject(bytes, clock.instant()));
  }

  @Override
  public void delete(String key) throws IOException {
    lifecycle.check("delete", key);
    objects.remove(key);
  }

  @Override
  public void iterate(String prefix, IterOptions options, KeyVisitor visitor) throws IOException {
    lifecycle.checkOpen();
    String dir = ObjectKeys.directoryPrefix(prefix);
    Interrupts.throwIfInterrupted("iter " + dir);
    String lastDirectory = null;
    for (Map.Entry<String, StoredObject> entry : objects.tailMap(dir).entrySet()) {
      String key = entry.getKey();
      if (!key.startsWith(dir)) {
        break;
      }
      if (options.recursive()) {
        visitor.visit(key);
        continue;
      }
      // Keys below one sub-directory are contiguous in the sorted map, so remembering the last one suffices.
      String flat = ObjectKeys.flatEntry(dir, key);
      if (flat.equals(lastDirectory)) {
        continue;
      }
      if (flat.length() < key.length()) {
        lastDirectory = flat;
      }
      visitor.visit(flat);
    }
  }

  /** Returns the number of objects held, for tests. */
  public int size() {
    return objects.size();
  }

  @Override
  public void close() {
    lifecycle.close();
  }

  @Override
  public String toString() {
    return "InMemoryBucket[" + name + ", " + objects.size() + " objects]";
  }

  private StoredObject find(String operation, String key) throws IOException {
    lifecycle.check(operation, key);
    StoredObject object = objects.get(key);
    if (object == null) {
      throw new ObjectNotFoundException(name, key);
    }
    return object;
  }

}
