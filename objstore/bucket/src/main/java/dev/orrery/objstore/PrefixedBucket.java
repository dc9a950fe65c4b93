package dev.orrery.objstore;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

/**
 * A view of the keys under one prefix of another bucket, as if that prefix were the root (Thanos'
 * {@code objstore.NewPrefixedBucket}, used for the {@code prefix:} of an objstore file and for the path of an
 * {@code s3://bucket/prefix} URL). Key {@code a/b} of this bucket is key {@code <prefix>/a/b} of the delegate;
 * iteration reports keys without the prefix.
 *
 * <p>Thread-safe if the delegate is. Owns the delegate.
 */
public final class PrefixedBucket extends ForwardingBucket {
  private final String prefix;

  /**
   * Creates the view.
   *
   * @param delegate the bucket to read and write through; closed by {@link #close()}
   * @param prefix the directory, without leading or trailing {@code /}
   * @throws IllegalArgumentException if {@code prefix} is not a valid key
   */
  public PrefixedBucket(Bucket delegate, String prefix) {
    super(delegate);
    this.prefix = ObjectKeys.checkKey(prefix) + ObjectKeys.DELIMITER;
  }

  /** Returns the prefix, with a trailing {@code /}. */
  public String prefix() {
    return prefix;
  }

  @Override
  public String name() {
    return delegate.name() + "/" + prefix.substring(0, prefix.length() - 1);
  }

  private String full(String key) {
    return prefix + ObjectKeys.checkKey(key);
  }

  @Override
  public InputStream get(String key) throws IOException {
    return delegate.get(full(key));
  }

  @Override
  public InputStream getRange(String key, long offset, long length) throws IOException {
    return delegate.getRange(full(key), offset, length);
  }

  @Override
  public boolean exists(String key) throws IOException {
    return delegate.exists(full(key));
  }

  @Override
  public ObjectAttributes attributes(String key) throws IOException {
    return delegate.attributes(full(key));
  }

  @Override
  public void upload(String key, InputStream body, long length) throws IOException {
    delegate.upload(full(key), body, length);
  }

  @Override
  public void upload(String key, byte[] content) throws IOException {
    delegate.upload(full(key), content);
  }

  @Override
  public void upload(String key, Path file) throws IOException {
    delegate.upload(full(key), file);
  }

  @Override
  public void delete(String key) throws IOException {
    delegate.delete(full(key));
  }

  @Override
  public void iterate(String directory, IterOptions options, KeyVisitor visitor) throws IOException {
    String dir = ObjectKeys.directoryPrefix(directory);
    delegate.iterate(prefix + dir, options, key -> {
      if (key.startsWith(prefix)) {
        visitor.visit(key.substring(prefix.length()));
      }
    });
  }

  @Override
  public String toString() {
    return "PrefixedBucket[" + prefix + ", " + delegate + "]";
  }
}
