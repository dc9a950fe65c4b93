package dev.orrery.objstore.gcs;

import com.google.api.gax.paging.Page;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.cloud.BaseServiceException;
import com.google.cloud.ReadChannel;
import com.google.cloud.ServiceOptions;
import com.google.cloud.WriteChannel;
import com.google.cloud.http.HttpTransportOptions;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageException;
import com.google.cloud.storage.StorageOptions;
import dev.orrery.objstore.Bucket;
import dev.orrery.objstore.BucketLifecycle;
import dev.orrery.objstore.BucketAccessDeniedException;
import dev.orrery.objstore.BucketConfigException;
import dev.orrery.objstore.BucketSettings;
import dev.orrery.objstore.Interrupts;
import dev.orrery.objstore.IterOptions;
import dev.orrery.objstore.KeyVisitor;
import dev.orrery.objstore.ObjectAttributes;
import dev.orrery.objstore.ObjectKeys;
import dev.orrery.objstore.ObjectNotFoundException;
import dev.orrery.objstore.RetryableBucketException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

import static java.util.Objects.requireNonNull;

/**
 * A bucket in Google Cloud Storage, through google-cloud-storage's JSON API.
 *
 * <ul>
 *   <li>Uploads of at most one chunk ({@link GcsConfig#chunkSizeBytes()}) go in one request; larger ones and streams
 *       of unknown length use a resumable upload session written chunk by chunk, which GCS finalises only when the
 *       whole body has arrived. A failed upload abandons its session (GCS expires it), so the object never appears
 *       partly written. Files go through {@code Storage.createFrom}, also resumable.
 *   <li>Range reads seek and limit a read channel. The first bytes are fetched when the stream is opened, so a
 *       missing object fails at {@code get}, as the contract requires, without an extra metadata request.
 *   <li>Listings page through {@code objects.list} (GCS returns up to 1,000 entries per page).
 *   <li>Errors follow the {@link Bucket} contract: 404 is {@link ObjectNotFoundException}, 401/403 is {@link
 *       BucketAccessDeniedException} naming {@code service_account}, 429, 5xx and transport failures are {@link
 *       RetryableBucketException}.
 * </ul>
 *
 * <p>Thread-safe. A bucket opened from a configuration owns its {@link Storage} client and closes it; one made by
 * {@link #wrap} leaves the caller's client open.
 */
public final class GcsBucket implements Bucket {
  /** How much of an object {@link #get} fetches before returning, to report a missing object at once. */
  private static final int FIRST_READ_BYTES = 64 * 1024;

  private final Storage storage;
  private final GcsConfig config;
  private final boolean ownsStorage;
  private final String description;
  private final BucketLifecycle lifecycle;

  private GcsBucket(Storage storage, GcsConfig config, boolean ownsStorage) {
    this.storage = storage;
    this.config = config;
    this.ownsStorage = ownsStorage;
    this.description = "GCS bucket '" + config.bucket() + "'";
    this.lifecycle = new BucketLifecycle(description);
  }

  /**
   * Opens a bucket with a new client; no request is made until the first operation.
   *
   * @param config the configuration
   * @param settings where the configuration came from, to name settings in errors
   * @return the bucket, owning its client
   * @throws BucketConfigException if the service account key cannot be read
   */
  public static GcsBucket open(GcsConfig config, BucketSettings settings) throws BucketConfigException {
    requireNonNull(config, "config is null");
    StorageOptions.Builder options = StorageOptions.newBuilder()
        .setRetrySettings(ServiceOptions.getDefaultRetrySettings().toBuilder()
            .setMaxAttempts(config.maxRetries() + 1).build())
        .setTransportOptions(HttpTransportOptions.newBuilder()
            .setConnectTimeout((int) config.connectTimeout().toMillis())
            .setReadTimeout((int) config.readTimeout().toMillis())
            .build());
    if (config.serviceAccountJson() != null) {
      try {
        options.setCredentials(GoogleCredentials.fromStream(new ByteArrayInputStream(
            config.serviceAccountJson().getBytes(StandardCharsets.UTF_8))));
      } catch (IOException | RuntimeException e) {
        throw new BucketConfigException(settings.source(), settings.settingName("service_account"),
            "not a valid service account JSON key (" + e.getMessage() + ")", e);
      }
    }
    return new GcsBucket(options.build().getService(), config, true);
  }

  /**
   * Wraps an existing client, for embedders that configure it themselves and for tests (the client library's
   * {@code LocalStorageHelper}); the bucket will not close it.
   *
   * @param storage the client
   * @param config the bucket name and upload settings (client settings in it are ignored)
   * @return the bucket
   */
  public static GcsBucket wrap(Storage storage, GcsConfig config) {
    return new GcsBucket(requireNonNull(storage, "storage is null"), requireNonNull(config, "config is null"), false);
  }

  /** Returns the configuration. */
  public GcsConfig config() {
    return config;
  }

  @Override
  public String name() {
    return config.bucket();
  }

  @Override
  public InputStream get(String key) throws IOException {
    lifecycle.check("get", key);
    return open(key, 0, -1);
  }

  @Override
  public InputStream getRange(String key, long offset, long length) throws IOException {
    ObjectKeys.checkRange(offset, length);
    lifecycle.check("get_range", key);
    if (length == 0) {
      attributes(key);
      return InputStream.nullInputStream();
    }
    return open(key, offset, length);
  }

  private InputStream open(String key, long offset, long length) throws IOException {
    ReadChannel channel;
    ByteBuffer first = ByteBuffer.allocate((int) (length == -1 ? FIRST_READ_BYTES
        : Math.min(FIRST_READ_BYTES, length)));
    try {
      channel = storage.reader(BlobId.of(config.bucket(), key));
      channel.setChunkSize(Math.max(FIRST_READ_BYTES, config.chunkSizeBytes() / 8));
      if (offset > 0) {
        channel.seek(offset);
      }
      // No channel.limit(): the local storage helper pads limited reads past the end with zeros. The request
      // streams from the offset and the stream below stops after `length` bytes and aborts the rest on close.
    } catch (BaseServiceException e) {
      throw translate("get", key, e);
    }
    try {
      while (first.hasRemaining() && channel.read(first) >= 0) {
        // Fill the first buffer, or stop at the end of the object.
      }
    } catch (IOException | RuntimeException e) {
      channel.close();
      IOException failure = translate("get", key, e);
      if (failure instanceof RangeNotSatisfiable) {
        return InputStream.nullInputStream();
      }
      throw failure;
    }
    first.flip();
    return new ChannelInputStream(channel, first, key, length == -1 ? Long.MAX_VALUE : length);
  }

  @Override
  public boolean exists(String key) throws IOException {
    lifecycle.check("exists", key);
    try {
      return storage.get(BlobId.of(config.bucket(), key)) != null;
    } catch (BaseServiceException e) {
      throw translate("exists", key, e);
    }
  }

  @Override
  public ObjectAttributes attributes(String key) throws IOException {
    lifecycle.check("attributes", key);
    Blob blob;
    try {
      blob = storage.get(BlobId.of(config.bucket(), key));
    } catch (BaseServiceException e) {
      throw translate("attributes", key, e);
    }
    if (blob == null) {
      throw new ObjectNotFoundException(config.bucket(), key);
    }
    Instant updated = blob.getUpdateTimeOffsetDateTime() != null ? blob.getUpdateTimeOffsetDateTime().toInstant()
        : blob.getCreateTimeOffsetDateTime() != null ? blob.getCreateTimeOffsetDateTime().toInstant() : Instant.EPOCH;
    return new ObjectAttributes(blob.getSize() == null ? 0 : blob.getSize(), updated);
  }

  @Override
  public void upload(String key, InputStream body, long length) throws IOException {
    lifecycle.check("upload", key);
    requireNonNull(body, "body is null");
    if (length < UNKNOWN_LENGTH) {
      throw new IllegalArgumentException("length must be >= 0 or UNKNOWN_LENGTH, got " + length);
    }
    byte[] buffer = new byte[config.chunkSizeBytes()];
    int first = body.readNBytes(buffer, 0, (int) (length == UNKNOWN_LENGTH ? buffer.length
        : Math.min(buffer.length, length)));
    if (length != UNKNOWN_LENGTH && first < Math.min(buffer.length, length)) {
      throw new IOException("upload " + key + ": body ended after " + first + " of " + length + " bytes");
    }
    BlobInfo info = BlobInfo.newBuilder(config.bucket(), key).build();
    if (first < buffer.length || length == first) {
      try {
        storage.create(info, buffer, 0, first);
      } catch (BaseServiceException e) {
        throw translate("upload", key, e);
      }
      return;
    }
    WriteChannel writer;
    try {
      writer = storage.writer(info);
      writer.setChunkSize(config.chunkSizeBytes());
    } catch (BaseServiceException e) {
      throw translate("upload", key, e);
    }
    // The channel is closed only after the whole body was written: close() finalises the object, so a failure
    // before it must leave the session unfinished (GCS discards it) rather than commit a truncated object.
    long total = 0;
    int filled = first;
    try {
      while (filled > 0) {
        Interrupts.throwIfInterrupted("upload " + key);
        ByteBuffer chunk = ByteBuffer.wrap(buffer, 0, filled);
        while (chunk.hasRemaining()) {
          writer.write(chunk);
        }
        total += filled;
        long left = length == UNKNOWN_LENGTH ? buffer.length : Math.min(buffer.length, length - total);
        filled = left == 0 ? 0 : body.readNBytes(buffer, 0, (int) left);
      }
      if (length != UNKNOWN_LENGTH && total < length) {
        throw new IOException("upload " + key + ": body ended after " + total + " of " + length + " bytes");
      }
      writer.close();
    } catch (BaseServiceException e) {
      throw translate("upload", key, e);
    } catch (IOException e) {
      if (e.getCause() instanceof BaseServiceException service) {
        throw translate("upload", key, service);
      }
      throw e;
    }
  }

  @Override
  public void upload(String key, byte[] content) throws IOException {
    lifecycle.check("upload", key);
    if (content.length > config.chunkSizeBytes()) {
      upload(key, new ByteArrayInputStream(content), content.length);
      return;
    }
    try {
      storage.create(BlobInfo.newBuilder(config.bucket(), key).build(), content);
    } catch (BaseServiceException e) {
      throw translate("upload", key, e);
    }
  }

  @Override
  public void upload(String key, Path file) throws IOException {
    lifecycle.check("upload", key);
    try {
      storage.createFrom(BlobInfo.newBuilder(config.bucket(), key).build(), file, config.chunkSizeBytes());
    } catch (BaseServiceException e) {
      throw translate("upload", key, e);
    } catch (IOException e) {
      if (e.getCause() instanceof BaseServiceException service) {
        throw translate("upload", key, service);
      }
      throw e;
    }
  }

  @Override
  public void delete(String key) throws IOException {
    lifecycle.check("delete", key);
    try {
      storage.delete(BlobId.of(config.bucket(), key));
    } catch (BaseServiceException e) {
      IOException failure = translate("delete", key, e);
      if (!(failure instanceof ObjectNotFoundException)) {
        throw failure;
      }
    }
  }

  @Override
  public void iterate(String prefix, IterOptions options, KeyVisitor visitor) throws IOException {
    lifecycle.checkOpen();
    String dir = ObjectKeys.directoryPrefix(prefix);
    Interrupts.throwIfInterrupted("iter " + dir);
    // GCS pages by 1,000 entries by default; no page size is set because the local storage helper truncates to it
    // and does not page.
    Storage.BlobListOption[] listOptions = options.recursive()
        ? new Storage.BlobListOption[] {Storage.BlobListOption.prefix(dir)}
        : new Storage.BlobListOption[] {Storage.BlobListOption.prefix(dir), Storage.BlobListOption.currentDirectory()};
    try {
      Page<Blob> page = storage.list(config.bucket(), listOptions);
      while (page != null) {
        for (Blob blob : page.getValues()) {
          String name = blob.getName();
          if (name.equals(dir) || (options.recursive() && name.endsWith("/"))) {
            continue;
          }
          visitor.visit(name);
        }
        Interrupts.throwIfInterrupted("iter " + dir);
        page = page.hasNextPage() ? page.getNextPage() : null;
      }
    } catch (BaseServiceException e) {
      throw translate("iter", dir, e);
    }
  }

  @Override
  public void close() throws IOException {
    if (!lifecycle.close() || !ownsStorage) {
      return;
    }
    try {
      storage.close();
    } catch (Exception e) {
      throw new IOException("closing the client of " + description, e);
    }
  }

  @Override
  public String toString() {
    return "GcsBucket[" + config + "]";
  }

  /** The offset was at or past the end of the object (HTTP 416). */
  private static final class RangeNotSatisfiable extends IOException {
    RangeNotSatisfiable(Throwable cause) {
      super(cause);
    }
  }

  private static @Nullable BaseServiceException serviceException(Throwable e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof BaseServiceException service) {
        return service;
      }
    }
    return null;
  }

  /** Maps client exceptions to the {@link Bucket} contract's exception types, with one-line messages. */
  IOException translate(String operation, String key, Throwable e) {
    String what = operation + " " + key + " in " + description;
    BaseServiceException service = serviceException(e);
    if (service == null) {
      if (Thread.currentThread().isInterrupted() || e instanceof InterruptedIOException) {
        InterruptedIOException interrupted = new InterruptedIOException(what + ": interrupted");
        interrupted.initCause(e);
        return interrupted;
      }
      return e instanceof IOException io ? new RetryableBucketException(what + ": " + io.getMessage(), io)
          : new IOException(what + ": " + e, e);
    }
    int code = service.getCode();
    String reason = service.getReason() == null ? "HTTP " + code : service.getReason() + ", HTTP " + code;
    if (code == 404) {
      if (service.getMessage() != null && service.getMessage().contains("bucket does not exist")) {
        return new IOException(what + ": the bucket does not exist: check config bucket", e);
      }
      return new ObjectNotFoundException(config.bucket(), key, e);
    }
    if (code == 416) {
      return new RangeNotSatisfiable(e);
    }
    if (code == 401 || code == 403) {
      return new BucketAccessDeniedException(description + ": access denied (" + reason + "): check config"
          + " service_account" + (config.serviceAccountJson() == null ? " (unset: application default credentials"
          + " were used)" : ""), e);
    }
    if (code == 429 || code >= 500 || service.isRetryable() || code == 0 && e.getCause() instanceof IOException) {
      if (Thread.currentThread().isInterrupted()) {
        InterruptedIOException interrupted = new InterruptedIOException(what + ": interrupted");
        interrupted.initCause(e);
        return interrupted;
      }
      return new RetryableBucketException(what + ": " + reason, e);
    }
    String message = String.valueOf(service.getMessage());
    int newline = message.indexOf('\n');
    return new IOException(what + ": " + reason + ": " + (newline < 0 ? message : message.substring(0, newline)), e);
  }

  /** Serves the bytes fetched at open, then the rest of the channel; translates client exceptions. */
  private final class ChannelInputStream extends InputStream {
    private final ReadChannel channel;
    private final ByteBuffer first;
    private final String key;
    private long remaining;
    private boolean closed;

    ChannelInputStream(ReadChannel channel, ByteBuffer first, String key, long remaining) {
      this.channel = channel;
      this.first = first;
      this.key = key;
      this.remaining = remaining;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n <= 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      if (length == 0) {
        return 0;
      }
      if (remaining == 0) {
        return -1;
      }
      int wanted = (int) Math.min(length, remaining);
      if (first.hasRemaining()) {
        int n = Math.min(wanted, first.remaining());
        first.get(buffer, offset, n);
        remaining -= n;
        return n;
      }
      try {
        int n;
        do {
          n = channel.read(ByteBuffer.wrap(buffer, offset, wanted));
        } while (n == 0);
        if (n > 0) {
          remaining -= n;
        }
        return n;
      } catch (IOException | RuntimeException e) {
        IOException failure = translate("get", key, e);
        if (failure instanceof RangeNotSatisfiable) {
          return -1;
        }
        throw failure;
      }
    }

    @Override
    public int available() {
      return (int) Math.min(first.remaining(), remaining);
    }

    @Override
    public void close() {
      if (!closed) {
        closed = true;
        channel.close();
      }
    }
  }
}
