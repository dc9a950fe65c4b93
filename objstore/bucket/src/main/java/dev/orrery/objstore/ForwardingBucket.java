package dev.orrery.objstore;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

import static java.util.Objects.requireNonNull;

/**
 * A bucket that passes every call to another one: the base of the wrappers ({@link PrefixedBucket}, {@link
 * RetryingBucket}, {@link InstrumentedBucket}, {@link CachingBucket}). Subclasses override what they change. All
 * forms of {@code upload} are forwarded as they are, so a wrapper below still sees a re-readable byte array or file.
 *
 * <p>The wrapper owns its delegate: {@link #close()} closes it.
 */
public abstract class ForwardingBucket implements Bucket {
  /** The bucket calls are passed to. */
  protected final Bucket delegate;

  /**
   * Creates the wrapper, taking ownership of {@code delegate}.
   *
   * @param delegate the bucket to pass calls to
   */
  protected ForwardingBucket(Bucket delegate) {
    this.delegate = requireNonNull(delegate, "delegate is null");
  }

  /** Returns the wrapped bucket. */
  public Bucket delegate() {
    return delegate;
  }

  @Override
  public String name() {
    return delegate.name();
  }

  @Override
  public InputStream get(String key) throws IOException {
    return delegate.get(key);
  }

  @Override
  public InputStream getRange(String key, long offset, long length) throws IOException {
    return delegate.getRange(key, offset, length);
  }

  @Override
  public boolean exists(String key) throws IOException {
    return delegate.exists(key);
  }

  @Override
  public ObjectAttributes attributes(String key) throws IOException {
    return delegate.attributes(key);
  }

  @Override
  public void upload(String key, InputStream body, long length) throws IOException {
    delegate.upload(key, body, length);
  }

  @Override
  public void upload(String key, byte[] content) throws IOException {
    delegate.upload(key, content);
  }

  @Override
  public void upload(String key, Path file) throws IOException {
    delegate.upload(key, file);
  }

  @Override
  public void delete(String key) throws IOException {
    delegate.delete(key);
  }

  @Override
  public void iterate(String prefix, IterOptions options, KeyVisitor visitor) throws IOException {
    delegate.iterate(prefix, options, visitor);
  }

  @Override
  public void close() throws IOException {
    delegate.close();
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "[" + delegate + "]";
  }
}
