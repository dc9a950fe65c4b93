package dev.orrery.objstore.s3;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orrery.objstore.Bucket;
import dev.orrery.objstore.BucketLifecycle;
import dev.orrery.objstore.BucketAccessDeniedException;
import dev.orrery.objstore.Interrupts;
import dev.orrery.objstore.IterOptions;
import dev.orrery.objstore.KeyVisitor;
import dev.orrery.objstore.ObjectAttributes;
import dev.orrery.objstore.ObjectKeys;
import dev.orrery.objstore.ObjectNotFoundException;
import dev.orrery.objstore.RetryableBucketException;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

import static java.util.Objects.requireNonNull;

/**
 * A bucket in Amazon S3 or an S3-compatible store (MinIO, Ceph RGW, S3Proxy, ...), through the AWS SDK v2 synchronous
 * client with the Apache HttpClient 5 transport.
 *
 * <ul>
 *   <li>Uploads of at most {@link S3Config#partSizeBytes()} go in one {@code PutObject}; larger ones, and streams of
 *       unknown length that turn out larger, go as a multipart upload in parts of that size, buffered one part at a
 *       time (memory: one part per concurrent upload; parts of a file upload are read from the file instead). A
 *       failed multipart upload is aborted. Either way the object appears only when complete.
 *   <li>Range reads use HTTP {@code Range} requests; listings page through {@code ListObjectsV2} (1,000 keys per
 *       page) for buckets of any size.
 *   <li>Errors are translated per the {@link Bucket} contract: 404 is {@link ObjectNotFoundException}, 401/403 is
 *       {@link BucketAccessDeniedException} naming the credential settings, 5xx, throttling, timeouts and
 *       connection failures are {@link RetryableBucketException}.
 *   <li>The SDK retries each request {@link S3Config#maxRetries()} times itself. Request checksums are sent only
 *       where S3 requires them, for compatibility with S3-compatible stores.
 * </ul>
 *
 * <p>Thread-safe. The bucket owns the client it builds and closes it in {@link #close()}. The Apache client's idle
 * connection reaper thread is disabled; the SDK's scheduled executor (used for timeouts) can be supplied with {@link
 * Options#scheduledExecutor}.
 */
public final class S3Bucket implements Bucket {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** How much of an unread response {@code close} downloads to keep the connection rather than abort it. */
  private static final long DRAIN_LIMIT_BYTES = 256 * 1024;

  private final S3Config config;
  private final S3Client client;
  private final @Nullable SdkHttpClient httpClient;
  private final @Nullable AutoCloseable credentialsProvider;
  private final String description;
  private final BucketLifecycle lifecycle;

  private S3Bucket(S3Config config, S3Client client, @Nullable SdkHttpClient httpClient,
      @Nullable AutoCloseable credentialsProvider) {
    this.config = config;
    this.client = client;
    this.httpClient = httpClient;
    this.credentialsProvider = credentialsProvider;
    this.description = "S3 bucket '" + config.bucket() + "'"
        + (config.endpoint() != null ? " at " + config.endpoint() : " in " + config.region());
    this.lifecycle = new BucketLifecycle(description);
  }

  /** Optional construction hooks, for embedders and tests. */
  public static final class Options {
    private @Nullable ScheduledExecutorService scheduledExecutor;
    private Consumer<S3ClientBuilder> customizer = builder -> {};

    /** Creates default options: the SDK's own scheduler, no customisation. */
    public Options() {}

    /**
     * Gives the SDK the scheduler for its timeouts instead of letting it create one.
     *
     * @param executor the scheduler; not shut down by the bucket
     * @return these options
     */
    public Options scheduledExecutor(ScheduledExecutorService executor) {
      this.scheduledExecutor = requireNonNull(executor, "executor is null");
      return this;
    }

    /**
     * Adjusts the S3 client builder after the configuration is applied (interceptors, metrics publishers).
     *
     * @param customizer called once with the builder
     * @return these options
     */
    public Options customizer(Consumer<S3ClientBuilder> customizer) {
      this.customizer = requireNonNull(customizer, "customizer is null");
      return this;
    }
  }

  /**
   * Opens a bucket with a new client built from the configuration. No request is made until the first operation.
   *
   * @param config the configuration
   * @return the bucket, owning its client
   */
  public static S3Bucket open(S3Config config) {
    return open(config, new Options());
  }

  /**
   * Opens a bucket with a new client built from the configuration and options.
   *
   * @param config the configuration
   * @param options construction hooks
   * @return the bucket, owning its client
   */
  public static S3Bucket open(S3Config config, Options options) {
    requireNonNull(config, "config is null");
    requireNonNull(options, "options is null");
    Apache5HttpClient.Builder http = Apache5HttpClient.builder()
        .connectionTimeout(config.http().connectTimeout())
        .socketTimeout(config.http().responseHeaderTimeout())
        .connectionMaxIdleTime(config.http().idleConnectionTimeout())
        .maxConnections(config.http().maxConnections())
        .useIdleConnectionReaper(false);
    if (config.http().insecureSkipVerify()) {
      http.tlsTrustManagersProvider(() -> new TrustManager[] {new TrustingTrustManager()});
    }
    SdkHttpClient httpClient = http.build();
    AwsCredentialsProvider credentials;
    AutoCloseable ownedCredentials = null;
    if (config.accessKey() != null) {
      credentials = StaticCredentialsProvider.create(config.sessionToken() != null
          ? AwsSessionCredentials.create(config.accessKey(), config.secretKey(), config.sessionToken())
          : AwsBasicCredentials.create(config.accessKey(), config.secretKey()));
    } else {
      DefaultCredentialsProvider chain = DefaultCredentialsProvider.builder().build();
      credentials = chain;
      ownedCredentials = chain;
    }
    S3ClientBuilder builder = S3Client.builder()
        .httpClient(httpClient)
        .region(Region.of(config.region()))
        .forcePathStyle(config.pathStyle())
        .credentialsProvider(credentials)
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
        .overrideConfiguration(override -> {
          override.retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder()
              .maxAttempts(config.maxRetries() + 1).build());
          if (options.scheduledExecutor != null) {
            override.scheduledExecutorService(options.scheduledExecutor);
          }
        });
    if (config.endpoint() != null) {
      builder.endpointOverride(config.endpoint());
    }
    options.customizer.accept(builder);
    return new S3Bucket(config, builder.build(), httpClient, ownedCredentials);
  }

  /**
   * Wraps an existing client; the bucket will not close it.
   *
   * @param client the client, configured by the caller
   * @param config the bucket name and upload settings (the client settings in it are ignored)
   * @return the bucket
   */
  public static S3Bucket wrap(S3Client client, S3Config config) {
    // No HTTP client of its own: close() leaves the caller's client open.
    return new S3Bucket(requireNonNull(config, "config is null"), requireNonNull(client, "client is null"), null,
        null);
  }

  /** Returns the configuration. */
  public S3Config config() {
    return config;
  }

  @Override
  public String name() {
    return config.bucket();
  }

  @Override
  public InputStream get(String key) throws IOException {
    lifecycle.check("get", key);
    GetObjectRequest request = GetObjectRequest.builder().bucket(config.bucket()).key(key).build();
    try {
      return new S3ObjectStream(client.getObject(request), key);
    } catch (SdkException e) {
      throw translate("get", key, e);
    }
  }

  @Override
  public InputStream getRange(String key, long offset, long length) throws IOException {
    ObjectKeys.checkRange(offset, length);
    lifecycle.check("get_range", key);
    if (length == 0) {
      attributes(key);
      return InputStream.nullInputStream();
    }
    String range = "bytes=" + offset + "-" + (length == -1 ? "" : Long.toString(offset + length - 1));
    GetObjectRequest request = GetObjectRequest.builder().bucket(config.bucket()).key(key).range(range).build();
    try {
      return new S3ObjectStream(client.getObject(request), key);
    } catch (S3Exception e) {
      if (e.statusCode() == 416) {
        // InvalidRange: the offset is at or past the end; the contract answers with an empty stream.
        return InputStream.nullInputStream();
      }
      throw translate("get_range", key, e);
    } catch (SdkException e) {
      throw translate("get_range", key, e);
    }
  }

  @Override
  public boolean exists(String key) throws IOException {
    lifecycle.check("exists", key);
    try {
      client.headObject(request -> request.bucket(config.bucket()).key(key));
      return true;
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        return false;
      }
      throw translate("exists", key, e);
    } catch (SdkException e) {
      throw translate("exists", key, e);
    }
  }

  @Override
  public ObjectAttributes attributes(String key) throws IOException {
    lifecycle.check("attributes", key);
    try {
      HeadObjectResponse head = client.headObject(request -> request.bucket(config.bucket()).key(key));
      return new ObjectAttributes(head.contentLength(), head.lastModified());
    } catch (SdkException e) {
      throw translate("attributes", key, e);
    }
  }

  @Override
  public void upload(String key, InputStream body, long length) throws IOException {
    lifecycle.check("upload", key);
    requireNonNull(body, "body is null");
    if (length < UNKNOWN_LENGTH) {
      throw new IllegalArgumentException("length must be >= 0 or UNKNOWN_LENGTH, got " + length);
    }
    if (length != UNKNOWN_LENGTH && length <= config.partSizeBytes()) {
      byte[] bytes = body.readNBytes((int) length);
      if (bytes.length < length) {
        throw new IOException("upload " + key + ": body ended after " + bytes.length + " of " + length + " bytes");
      }
      putObject(key, RequestBody.fromBytes(bytes));
      return;
    }
    if (config.disableMultipart()) {
      if (length == UNKNOWN_LENGTH) {
        // One request needs the length up front: buffer the whole body (the user disabled multipart).
        putObject(key, RequestBody.fromBytes(body.readAllBytes()));
      } else {
        putObject(key, RequestBody.fromInputStream(new LengthCheckingStream(body, length, key), length));
      }
      return;
    }
    byte[] buffer = new byte[(int) config.partSizeBytes()];
    int first = body.readNBytes(buffer, 0, buffer.length);
    if (first < buffer.length) {
      if (length != UNKNOWN_LENGTH && first < length) {
        throw new IOException("upload " + key + ": body ended after " + first + " of " + length + " bytes");
      }
      putObject(key, RequestBody.fromContentProvider(() -> new ByteArrayInputStream(buffer, 0, first), first,
          "application/octet-stream"));
      return;
    }
    uploadMultipart(key, new StreamParts(body, buffer, first, length));
  }

  @Override
  public void upload(String key, byte[] content) throws IOException {
    lifecycle.check("upload", key);
    if (content.length <= config.partSizeBytes() || config.disableMultipart()) {
      putObject(key, RequestBody.fromBytes(content));
      return;
    }
    upload(key, new ByteArrayInputStream(content), content.length);
  }

  @Override
  public void upload(String key, Path file) throws IOException {
    lifecycle.check("upload", key);
    long size = Files.size(file);
    if (size <= config.partSizeBytes() || config.disableMultipart()) {
      putObject(key, RequestBody.fromFile(file));
      return;
    }
    uploadMultipart(key, new FileParts(file, size, config.partSizeBytes()));
  }

  private void putObject(String key, RequestBody body) throws IOException {
    PutObjectRequest.Builder request = PutObjectRequest.builder().bucket(config.bucket()).key(key);
    if (!config.userMetadata().isEmpty()) {
      request.metadata(config.userMetadata());
    }
    switch (config.sse().type()) {
      case "SSE-S3" -> request.serverSideEncryption(ServerSideEncryption.AES256);
      case "SSE-KMS" -> request.serverSideEncryption(ServerSideEncryption.AWS_KMS)
          .ssekmsKeyId(config.sse().kmsKeyId())
          .ssekmsEncryptionContext(encryptionContext());
      default -> { }
    }
    try {
      client.putObject(request.build(), body);
    } catch (SdkException e) {
      throw translate("upload", key, e);
    }
  }

  private @Nullable String encryptionContext() throws IOException {
    if (config.sse().kmsEncryptionContext().isEmpty()) {
      return null;
    }
    try {
      byte[] json = JSON.writeValueAsBytes(config.sse().kmsEncryptionContext());
      return Base64.getEncoder().encodeToString(json);
    } catch (JsonProcessingException e) {
      throw new IOException("cannot encode kms_encryption_context", e);
    }
  }

  /** The parts of a multipart upload, produced one at a time. */
  private interface Parts {
    /** Returns the next part's body and length, or {@code null} after the last part. */
    @Nullable RequestBody next(int partNumber) throws IOException;
  }

  private void uploadMultipart(String key, Parts parts) throws IOException {
    CreateMultipartUploadRequest.Builder create = CreateMultipartUploadRequest.builder().bucket(config.bucket())
        .key(key);
    if (!config.userMetadata().isEmpty()) {
      create.metadata(config.userMetadata());
    }
    switch (config.sse().type()) {
      case "SSE-S3" -> create.serverSideEncryption(ServerSideEncryption.AES256);
      case "SSE-KMS" -> create.serverSideEncryption(ServerSideEncryption.AWS_KMS)
          .ssekmsKeyId(config.sse().kmsKeyId())
          .ssekmsEncryptionContext(encryptionContext());
      default -> { }
    }
    String uploadId;
    try {
      uploadId = client.createMultipartUpload(create.build()).uploadId();
    } catch (SdkException e) {
      throw translate("upload", key, e);
    }
    List<CompletedPart> completed = new ArrayList<>();
    try {
      for (int partNumber = 1; ; partNumber++) {
        Interrupts.throwIfInterrupted("upload " + key);
        RequestBody body = parts.next(partNumber);
        if (body == null) {
          break;
        }
        int number = partNumber;
        String eTag = client.uploadPart(request -> request.bucket(config.bucket()).key(key).uploadId(uploadId)
            .partNumber(number), body).eTag();
        completed.add(CompletedPart.builder().partNumber(partNumber).eTag(eTag).build());
      }
      client.completeMultipartUpload(request -> request.bucket(config.bucket()).key(key).uploadId(uploadId)
          .multipartUpload(upload -> upload.parts(completed)));
    } catch (SdkException e) {
      IOException failure = translate("upload", key, e);
      abortQuietly(key, uploadId, failure);
      throw failure;
    } catch (IOException | RuntimeException e) {
      abortQuietly(key, uploadId, e);
      throw e;
    }
  }

  private void abortQuietly(String key, String uploadId, Exception failure) {
    try {
      client.abortMultipartUpload(request -> request.bucket(config.bucket()).key(key).uploadId(uploadId));
    } catch (SdkException abort) {
      failure.addSuppressed(abort);
    }
  }

  /** Parts read from a stream into one reused buffer; the first part is already in it. */
  private final class StreamParts implements Parts {
    private final InputStream body;
    private final byte[] buffer;
    private final long expectedLength;
    private int filled;
    private long total;
    private boolean ended;

    StreamParts(InputStream body, byte[] buffer, int filled, long expectedLength) {
      this.body = body;
      this.buffer = buffer;
      this.filled = filled;
      this.expectedLength = expectedLength;
    }

    @Override
    public @Nullable RequestBody next(int partNumber) throws IOException {
      if (partNumber > 1) {
        if (ended) {
          return null;
        }
        filled = body.readNBytes(buffer, 0, buffer.length);
        if (filled == 0) {
          checkLength();
          return null;
        }
      }
      if (filled < buffer.length) {
        ended = true;
      }
      total += filled;
      if (expectedLength != UNKNOWN_LENGTH && total > expectedLength) {
        // Never send more than the caller declared: cut the last part to the declared length.
        filled -= (int) (total - expectedLength);
        total = expectedLength;
        ended = true;
      }
      if (ended) {
        checkLength();
      }
      if (partNumber > 10_000) {
        throw new IOException("upload: more than 10000 parts of " + buffer.length + " bytes; raise part_size");
      }
      int size = filled;
      return RequestBody.fromContentProvider(() -> new ByteArrayInputStream(buffer, 0, size), size,
          "application/octet-stream");
    }

    private void checkLength() throws IOException {
      if (expectedLength != UNKNOWN_LENGTH && total < expectedLength) {
        throw new IOException("upload: body ended after " + total + " of " + expectedLength + " bytes");
      }
    }
  }

  /** Parts read straight from a file, each re-readable for SDK retries. */
  private static final class FileParts implements Parts {
    private final Path file;
    private final long size;
    private final long partSize;
    private long offset;

    FileParts(Path file, long size, long partSize) {
      this.file = file;
      this.size = size;
      this.partSize = partSize;
    }

    @Override
    public @Nullable RequestBody next(int partNumber) {
      if (offset >= size) {
        return null;
      }
      long start = offset;
      long length = Math.min(partSize, size - offset);
      offset += length;
      return RequestBody.fromContentProvider(() -> {
        try {
          FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
          channel.position(start);
          return new LengthCheckingStream(Channels.newInputStream(channel), length, file.toString());
        } catch (IOException e) {
          throw SdkClientException.create("cannot read " + file + " at offset " + start, e);
        }
      }, length, "application/octet-stream");
    }
  }

  @Override
  public void delete(String key) throws IOException {
    lifecycle.check("delete", key);
    try {
      client.deleteObject(request -> request.bucket(config.bucket()).key(key));
    } catch (S3Exception e) {
      if (e.statusCode() == 404 && !isNoSuchBucket(e)) {
        return;
      }
      throw translate("delete", key, e);
    } catch (SdkException e) {
      throw translate("delete", key, e);
    }
  }

  @Override
  public void iterate(String prefix, IterOptions options, KeyVisitor visitor) throws IOException {
    lifecycle.checkOpen();
    String dir = ObjectKeys.directoryPrefix(prefix);
    Interrupts.throwIfInterrupted("iter " + dir);
    ListObjectsV2Request.Builder request = ListObjectsV2Request.builder().bucket(config.bucket()).prefix(dir);
    if (!options.recursive()) {
      request.delimiter("/");
    }
    String continuation = null;
    do {
      ListObjectsV2Response page;
      try {
        page = client.listObjectsV2(request.continuationToken(continuation).build());
      } catch (SdkException e) {
        throw translate("iter", dir, e);
      }
      for (S3Object object : page.contents()) {
        String key = object.key();
        // Skip "directory marker" objects that some tools create (Thanos does the same).
        if (key.equals(dir) || key.endsWith("/")) {
          continue;
        }
        visitor.visit(key);
      }
      for (CommonPrefix common : page.commonPrefixes()) {
        visitor.visit(common.prefix());
      }
      continuation = Boolean.TRUE.equals(page.isTruncated()) ? page.nextContinuationToken() : null;
      Interrupts.throwIfInterrupted("iter " + dir);
    } while (continuation != null);
  }

  @Override
  public void close() throws IOException {
    if (!lifecycle.close()) {
      return;
    }
    if (httpClient == null) {
      return;
    }
    client.close();
    httpClient.close();
    if (credentialsProvider != null) {
      try {
        credentialsProvider.close();
      } catch (Exception e) {
        throw new IOException("closing the credentials provider of " + description, e);
      }
    }
  }

  @Override
  public String toString() {
    return "S3Bucket[" + config + "]";
  }

  private static boolean isNoSuchBucket(S3Exception e) {
    return e.awsErrorDetails() != null && "NoSuchBucket".equals(e.awsErrorDetails().errorCode());
  }

  /** Maps SDK exceptions to the {@link Bucket} contract's exception types, with one-line messages. */
  IOException translate(String operation, String key, SdkException e) {
    String what = operation + " " + key + " in " + description;
    if (e instanceof S3Exception s3) {
      int status = s3.statusCode();
      String code = s3.awsErrorDetails() == null ? null : s3.awsErrorDetails().errorCode();
      String detail = (code == null ? "HTTP " + status : code + ", HTTP " + status);
      if (isNoSuchBucket(s3)) {
        return new IOException(what + ": the bucket does not exist (NoSuchBucket): check config bucket and"
            + " endpoint", e);
      }
      if (status == 404) {
        return new ObjectNotFoundException(config.bucket(), key, e);
      }
      if (status == 401 || status == 403) {
        return new BucketAccessDeniedException(description + ": access denied (" + detail + "): check config"
            + " access_key and secret_key" + (config.accessKey() == null ? " (unset: the AWS default credential"
            + " chain was used)" : ""), e);
      }
      if (status >= 500 || status == 429 || "SlowDown".equals(code) || "RequestTimeout".equals(code)
          || "Throttling".equals(code)) {
        return new RetryableBucketException(what + ": " + detail, e);
      }
      return new IOException(what + ": " + detail + ": " + s3.awsErrorDetails().errorMessage(), e);
    }
    if (e instanceof AbortedException || Thread.currentThread().isInterrupted()
        || e.getCause() instanceof InterruptedException || e.getCause() instanceof InterruptedIOException
            && !(e.getCause() instanceof java.net.SocketTimeoutException)) {
      Thread.currentThread().interrupt();
      InterruptedIOException interrupted = new InterruptedIOException(what + ": interrupted");
      interrupted.initCause(e);
      return interrupted;
    }
    if (e instanceof ApiCallTimeoutException || e instanceof ApiCallAttemptTimeoutException) {
      return new RetryableBucketException(what + ": timed out", e);
    }
    String message = String.valueOf(e.getMessage());
    if (message.contains("Unable to load credentials")) {
      return new BucketAccessDeniedException(description + ": no credentials: set config access_key and secret_key,"
          + " or configure the AWS default credential chain", e);
    }
    if (e instanceof SdkClientException) {
      // Connection refused or reset, DNS or TLS failures, truncated responses: worth another attempt.
      return new RetryableBucketException(what + ": " + firstLine(message), e);
    }
    return new IOException(what + ": " + firstLine(message), e);
  }

  private static String firstLine(String text) {
    int newline = text.indexOf('\n');
    return newline < 0 ? text : text.substring(0, newline);
  }

  /**
   * Translates unchecked SDK failures while reading. On close, a response read to its end (or nearly: at most
   * {@link #DRAIN_LIMIT_BYTES} left) keeps its pooled connection; a larger unread rest aborts the connection, which
   * is cheaper than downloading bytes nobody wants.
   */
  private final class S3ObjectStream extends FilterInputStream {
    private final ResponseInputStream<GetObjectResponse> response;
    private final String key;
    private final long contentLength;
    private long consumed;
    private boolean eof;

    S3ObjectStream(ResponseInputStream<GetObjectResponse> response, String key) {
      super(response);
      this.response = response;
      this.key = key;
      Long length = response.response().contentLength();
      this.contentLength = length == null ? -1 : length;
    }

    @Override
    public int read() throws IOException {
      try {
        int b = in.read();
        if (b < 0) {
          eof = true;
        } else {
          consumed++;
        }
        return b;
      } catch (SdkException e) {
        throw translate("get", key, e);
      }
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      try {
        int n = in.read(buffer, offset, length);
        if (n < 0) {
          eof = true;
        } else {
          consumed += n;
        }
        return n;
      } catch (SdkException e) {
        throw translate("get", key, e);
      }
    }

    @Override
    public void close() throws IOException {
      long left = contentLength < 0 ? Long.MAX_VALUE : contentLength - consumed;
      try {
        if (!eof && left > DRAIN_LIMIT_BYTES) {
          response.abort();
        } else if (!eof && left > 0) {
          in.skip(left);
        }
        in.close();
      } catch (SdkException e) {
        throw translate("get", key, e);
      }
    }
  }

  /** Fails when a stream of declared length ends early. */
  private static final class LengthCheckingStream extends FilterInputStream {
    private final long length;
    private final String name;
    private long remaining;

    LengthCheckingStream(InputStream in, long length, String name) {
      super(in);
      this.length = length;
      this.remaining = length;
      this.name = name;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n <= 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int count) throws IOException {
      if (remaining == 0) {
        return -1;
      }
      int n = in.read(buffer, offset, (int) Math.min(count, remaining));
      if (n < 0) {
        throw new IOException("upload from " + name + ": body ended after " + (length - remaining) + " of " + length
            + " bytes");
      }
      remaining -= n;
      return n;
    }
  }

  /** Accepts every certificate; only with {@code http_config.insecure_skip_verify: true}. */
  private static final class TrustingTrustManager implements X509TrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
