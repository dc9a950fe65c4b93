package dev.orrery.objstore.filesystem;

import dev.orrery.objstore.Bucket;
import dev.orrery.objstore.BucketLifecycle;
import dev.orrery.objstore.Interrupts;
import dev.orrery.objstore.IterOptions;
import dev.orrery.objstore.KeyVisitor;
import dev.orrery.objstore.ObjectAttributes;
import dev.orrery.objstore.ObjectKeys;
import dev.orrery.objstore.ObjectNotFoundException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static java.util.Objects.requireNonNull;

/**
 * A bucket in a local directory: the embedded default, and byte-compatible with Thanos' {@code FILESYSTEM} bucket
 * (key {@code a/b} is the file {@code <root>/a/b}).
 *
 * <p>Uploads are atomic: the body goes to a temporary file under {@code <root>/.orrery-tmp/}, is forced to disk and
 * then renamed over the target, so readers see the old object or the new one, never a partial file. Deletion removes
 * directories that become empty, up to the root, and flat iteration skips directories without objects (as Thanos'
 * filesystem bucket skips empty ones). Keys are checked by {@link ObjectKeys#checkKey} and then resolved inside the root only: a key or a
 * symbolic link that would lead outside the root is refused with {@link IllegalArgumentException}.
 *
 * <p>Thread-safe; several processes may share one root. The bucket holds no open files between calls, so {@link
 * #close()} only marks it closed.
 */
public final class FilesystemBucket implements Bucket {
  /** The directory under the root that holds uploads in progress; never reported by {@link #iterate}. */
  public static final String TEMP_DIRECTORY = ".orrery-tmp";

  private final Path root;
  private final Path realRoot;
  private final Path tempDirectory;
  private final BucketLifecycle lifecycle;

  private FilesystemBucket(Path root, Path realRoot) {
    this.root = root;
    this.lifecycle = new BucketLifecycle("bucket " + root);
    this.realRoot = realRoot;
    this.tempDirectory = root.resolve(TEMP_DIRECTORY);
  }

  /**
   * Opens (creating it if needed) a bucket rooted at {@code directory}.
   *
   * @param directory the root directory
   * @return the bucket
   * @throws IOException if the directory cannot be created or is not a directory
   */
  public static FilesystemBucket open(Path directory) throws IOException {
    requireNonNull(directory, "directory is null");
    Path root = directory.toAbsolutePath().normalize();
    Files.createDirectories(root);
    return new FilesystemBucket(root, root.toRealPath());
  }

  /** Returns the root directory. */
  public Path root() {
    return root;
  }

  @Override
  public String name() {
    return root.toString();
  }

  @Override
  public InputStream get(String key) throws IOException {
    Path file = resolve("get", key);
    if (Files.isDirectory(file)) {
      throw new ObjectNotFoundException(name(), key);
    }
    try {
      return Files.newInputStream(file);
    } catch (NoSuchFileException | NotDirectoryException e) {
      throw new ObjectNotFoundException(name(), key, e);
    } catch (FileSystemException e) {
      throw notFoundIfDirectory(file, key, e);
    }
  }

  @Override
  public InputStream getRange(String key, long offset, long length) throws IOException {
    ObjectKeys.checkRange(offset, length);
    Path file = resolve("get_range", key);
    if (Files.isDirectory(file)) {
      throw new ObjectNotFoundException(name(), key);
    }
    FileChannel channel;
    try {
      channel = FileChannel.open(file, StandardOpenOption.READ);
    } catch (NoSuchFileException | NotDirectoryException e) {
      throw new ObjectNotFoundException(name(), key, e);
    } catch (FileSystemException e) {
      throw notFoundIfDirectory(file, key, e);
    }
    try {
      long size = channel.size();
      if (offset >= size) {
        channel.close();
        return InputStream.nullInputStream();
      }
      channel.position(offset);
      long remaining = length == -1 ? size - offset : Math.min(length, size - offset);
      return new BoundedInputStream(Channels.newInputStream(channel), remaining);
    } catch (IOException | RuntimeException e) {
      try {
        channel.close();
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  @Override
  public boolean exists(String key) throws IOException {
    return Files.isRegularFile(resolve("exists", key));
  }

  @Override
  public ObjectAttributes attributes(String key) throws IOException {
    Path file = resolve("attributes", key);
    BasicFileAttributes attributes;
    try {
      attributes = Files.readAttributes(file, BasicFileAttributes.class);
    } catch (NoSuchFileException | NotDirectoryException e) {
      throw new ObjectNotFoundException(name(), key, e);
    }
    if (!attributes.isRegularFile()) {
      throw new ObjectNotFoundException(name(), key);
    }
    return new ObjectAttributes(attributes.size(), attributes.lastModifiedTime().toInstant());
  }

  @Override
  public void upload(String key, InputStream body, long length) throws IOException {
    Path target = resolve("upload", key);
    requireNonNull(body, "body is null");
    if (length < UNKNOWN_LENGTH) {
      throw new IllegalArgumentException("length must be >= 0 or UNKNOWN_LENGTH, got " + length);
    }
    Files.createDirectories(tempDirectory);
    Path temp = Files.createTempFile(tempDirectory, "upload-", ".tmp");
    boolean moved = false;
    try {
      writeTemp(key, temp, body, length);
      moveIntoPlace(temp, target);
      moved = true;
    } finally {
      if (!moved) {
        Files.deleteIfExists(temp);
      }
    }
  }

  private static void writeTemp(String key, Path temp, InputStream body, long length) throws IOException {
    try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE);
        OutputStream out = Channels.newOutputStream(channel)) {
      if (length == UNKNOWN_LENGTH) {
        body.transferTo(out);
      } else {
        long written = copyExactly(body, out, length);
        if (written < length) {
          throw new IOException("upload " + key + ": body ended after " + written + " of " + length + " bytes");
        }
      }
      out.flush();
      // Durable before visible: the rename must never expose a file whose bytes are only in the page cache.
      channel.force(true);
    }
  }

  private static long copyExactly(InputStream in, OutputStream out, long length) throws IOException {
    byte[] buffer = new byte[64 * 1024];
    long copied = 0;
    while (copied < length) {
      int n = in.read(buffer, 0, (int) Math.min(buffer.length, length - copied));
      if (n < 0) {
        break;
      }
      out.write(buffer, 0, n);
      copied += n;
    }
    return copied;
  }

  private void moveIntoPlace(Path temp, Path target) throws IOException {
    // A concurrent delete may remove the (then empty) parent directory between createDirectories and move.
    for (int attempt = 1; ; attempt++) {
      Files.createDirectories(target.getParent());
      try {
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return;
      } catch (NoSuchFileException e) {
        if (attempt == 3 || !Files.exists(temp)) {
          throw e;
        }
      } catch (AtomicMoveNotSupportedException e) {
        throw new IOException("filesystem bucket " + root + " cannot rename atomically: " + e.getMessage(), e);
      }
    }
  }

  @Override
  public void delete(String key) throws IOException {
    Path file = resolve("delete", key);
    if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) && !Files.isSymbolicLink(file)) {
      return;
    }
    Files.deleteIfExists(file);
    for (Path dir = file.getParent(); dir != null && !dir.equals(root) && dir.startsWith(root);
        dir = dir.getParent()) {
      try {
        Files.delete(dir);
      } catch (DirectoryNotEmptyException e) {
        return;
      } catch (NoSuchFileException e) {
        // Removed by a concurrent delete; its parents may still be empty.
      }
    }
  }

  @Override
  public void iterate(String prefix, IterOptions options, KeyVisitor visitor) throws IOException {
    lifecycle.checkOpen();
    String dir = ObjectKeys.directoryPrefix(prefix);
    Interrupts.throwIfInterrupted("iter " + dir);
    Path directory = dir.isEmpty() ? root : checkInsideRoot(root.resolve(dir).normalize(), prefix);
    if (!Files.isDirectory(directory)) {
      return;
    }
    if (options.recursive()) {
      iterateRecursive(directory, visitor);
    } else {
      iterateFlat(dir, directory, visitor);
    }
  }

  private void iterateFlat(String dir, Path directory, KeyVisitor visitor) throws IOException {
    List<String> entries = new ArrayList<>();
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory)) {
      for (Path child : stream) {
        String fileName = child.getFileName().toString();
        if (directory.equals(root) && fileName.equals(TEMP_DIRECTORY)) {
          continue;
        }
        BasicFileAttributes attributes;
        try {
          attributes = Files.readAttributes(child, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
          continue;
        }
        if (attributes.isDirectory()) {
          if (hasFileBelow(child)) {
            entries.add(dir + fileName + ObjectKeys.DELIMITER);
          }
        } else if (attributes.isRegularFile()) {
          entries.add(dir + fileName);
        }
      }
    } catch (NoSuchFileException e) {
      return;
    }
    entries.sort(null);
    for (String entry : entries) {
      visitor.visit(entry);
    }
  }

  private void iterateRecursive(Path directory, KeyVisitor visitor) throws IOException {
    List<String> keys = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(directory)) {
      walk.filter(path -> !path.startsWith(tempDirectory))
          .filter(path -> Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS))
          .forEach(path -> keys.add(keyOf(path)));
    } catch (UncheckedIOException e) {
      // A directory that vanished during the walk (a concurrent delete) only shortens the answer.
      if (!(e.getCause() instanceof NoSuchFileException)) {
        throw e.getCause();
      }
    } catch (NoSuchFileException e) {
      return;
    }
    keys.sort(null);
    for (String key : keys) {
      visitor.visit(key);
    }
  }

  private String keyOf(Path file) {
    StringBuilder key = new StringBuilder();
    for (Path part : root.relativize(file)) {
      if (!key.isEmpty()) {
        key.append(ObjectKeys.DELIMITER);
      }
      key.append(part);
    }
    return key.toString();
  }

  /** Whether a directory holds an object at any depth; stops at the first one (Thanos skips empty directories). */
  private static boolean hasFileBelow(Path directory) throws IOException {
    try (Stream<Path> walk = Files.walk(directory)) {
      return walk.anyMatch(path -> Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS));
    } catch (NoSuchFileException e) {
      return false;
    } catch (UncheckedIOException e) {
      if (e.getCause() instanceof NoSuchFileException) {
        return false;
      }
      throw e.getCause();
    }
  }

  @Override
  public void close() {
    lifecycle.close();
  }

  @Override
  public String toString() {
    return "FilesystemBucket[" + root + "]";
  }

  private Path resolve(String operation, String key) throws IOException {
    lifecycle.checkOpen();
    ObjectKeys.checkKey(key);
    if (key.equals(TEMP_DIRECTORY) || key.startsWith(TEMP_DIRECTORY + ObjectKeys.DELIMITER)) {
      throw new IllegalArgumentException("object key is reserved by the filesystem bucket: " + key);
    }
    Interrupts.throwIfInterrupted(operation + " " + key);
    return checkInsideRoot(root.resolve(key).normalize(), key);
  }

  /** Refuses paths, and symbolic links on the way to them, that lead outside the root. */
  private Path checkInsideRoot(Path path, String key) throws IOException {
    if (!path.startsWith(root) || path.equals(root)) {
      throw new IllegalArgumentException("object key leads outside the bucket root " + root + ": " + key);
    }
    Path existing = path.getParent();
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    if (existing != null && !existing.toRealPath().startsWith(realRoot)) {
      throw new IllegalArgumentException("object key leads outside the bucket root " + root + " through a link: "
          + key);
    }
    if (Files.isSymbolicLink(path) && !path.toRealPath().startsWith(realRoot)) {
      throw new IllegalArgumentException("object key leads outside the bucket root " + root + " through a link: "
          + key);
    }
    return path;
  }

  private IOException notFoundIfDirectory(Path file, String key, FileSystemException e) {
    if (Files.isDirectory(file)) {
      return new ObjectNotFoundException(name(), key, e);
    }
    return e;
  }

  /** Reads at most {@code remaining} bytes of a stream positioned at the range's start. */
  private static final class BoundedInputStream extends FilterInputStream {
    private long remaining;

    BoundedInputStream(InputStream in, long remaining) {
      super(in);
      this.remaining = remaining;
    }

    @Override
    public int read() throws IOException {
      if (remaining <= 0) {
        return -1;
      }
      int b = in.read();
      if (b >= 0) {
        remaining--;
      }
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      if (length == 0) {
        return 0;
      }
      if (remaining <= 0) {
        return -1;
      }
      int n = in.read(buffer, offset, (int) Math.min(length, remaining));
      if (n > 0) {
        remaining -= n;
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      long skipped = in.skip(Math.min(n, remaining));
      remaining -= skipped;
      return skipped;
    }

    @Override
    public int available() throws IOException {
      return (int) Math.min(in.available(), remaining);
    }

    @Override
    public boolean markSupported() {
      return false;
    }
  }
}
