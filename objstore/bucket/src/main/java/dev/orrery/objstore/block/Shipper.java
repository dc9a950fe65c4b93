package dev.orrery.objstore.block;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orrery.core.block.BlockDirectory;
import dev.orrery.core.block.BlockMeta;
import dev.orrery.core.block.Ulid;
import dev.orrery.objstore.Bucket;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static java.util.Objects.requireNonNull;

/**
 * Uploads each new block of a Prometheus data directory to a bucket exactly once, as Thanos' sidecar shipper does
 * (FORMATS.md 6.5).
 *
 * <p>One {@link #sync()}:
 * <ol>
 *   <li>reads {@code <dataDir>/thanos.shipper.json} ({@code {"version":1,"uploaded":[...]}}), the blocks already
 *       shipped; a missing or unreadable file counts as empty, since the bucket is asked anyway;
 *   <li>considers only directories whose name is a ULID: Prometheus writes a block under {@code
 *       <ulid>.tmp-for-creation} and renames it when complete, so a block still being written is never picked up;
 *       a block whose {@code meta.json} does not parse yet is skipped until a later sync;
 *   <li>skips blocks with no samples, and compacted blocks (level &gt; 1) unless {@link
 *       Builder#uploadCompacted(boolean)};
 *   <li>treats a block whose {@code meta.json} is already in the bucket as shipped (an earlier run uploaded it but
 *       stopped before recording it);
 *   <li>hard-links the block into {@code <dataDir>/thanos/upload/<ULID>/} (so Prometheus may delete the original
 *       meanwhile), writes {@code meta.json} there with the external labels merged into {@code thanos.labels}
 *       (configured labels win), {@code source} and {@code segment_files}, uploads it with {@link
 *       BlockBucket#upload} (chunks, index, {@code meta.json} last), and records the ULID in the state file
 *       (written to a temporary file and renamed) before the next block.
 * </ol>
 * A failed block is retried at the next sync; a shipper that was killed mid-upload resumes there, re-uploading the
 * block's objects, which is safe because the block is invisible until its {@code meta.json} is. The state keeps
 * only ULIDs still present in the data directory.
 *
 * <p>Thread-safe: concurrent {@code sync} calls run one after the other. The shipper starts no threads; {@link
 * #schedule} runs it on the caller's scheduler. Does not own the bucket.
 */
public final class Shipper {
  private static final Logger LOG = LoggerFactory.getLogger(Shipper.class);

  /** The state file's name in the data directory, as Thanos names it. */
  public static final String STATE_FILE = "thanos.shipper.json";
  /** Where blocks are staged for upload, relative to the data directory. */
  public static final String UPLOAD_DIRECTORY = "thanos/upload";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path dataDir;
  private final BlockBucket blocks;
  private final Map<String, String> externalLabels;
  private final String source;
  private final boolean uploadCompacted;
  private final ReentrantLock lock = new ReentrantLock();
  private final ShipperMetrics metrics;

  private Shipper(Builder builder) {
    this.dataDir = builder.dataDir;
    this.blocks = new BlockBucket(builder.bucket, builder.clock);
    this.externalLabels = Collections.unmodifiableMap(new TreeMap<>(builder.externalLabels));
    this.source = builder.source;
    this.uploadCompacted = builder.uploadCompacted;
    this.metrics = new ShipperMetrics(builder.metricsRegistry);
  }

  /**
   * Starts a builder.
   *
   * @param dataDir Prometheus' TSDB directory
   * @param bucket where blocks go; not owned by the shipper
   * @return the builder
   */
  public static Builder builder(Path dataDir, Bucket bucket) {
    return new Builder(dataDir, bucket);
  }

  /**
   * What one {@link #sync()} did.
   *
   * @param uploaded blocks uploaded by this sync
   * @param alreadyInBucket blocks found complete in the bucket and recorded without uploading
   * @param failed blocks whose upload failed, with the failure; they are retried at the next sync
   */
  public record SyncResult(List<Ulid> uploaded, List<Ulid> alreadyInBucket, Map<Ulid, IOException> failed) {
    /** Copies the collections. */
    public SyncResult {
      uploaded = List.copyOf(uploaded);
      alreadyInBucket = List.copyOf(alreadyInBucket);
      failed = Collections.unmodifiableMap(new LinkedHashMap<>(failed));
    }
  }

  /**
   * Ships every new block once.
   *
   * @return what was done
   * @throws IOException if the data directory or the state file cannot be read or written (block failures are in
   *     the result instead)
   */
  public SyncResult sync() throws IOException {
    lock.lock();
    try {
      metrics.dirSyncs.inc();
      SyncResult result;
      try {
        result = syncLocked();
      } catch (IOException | RuntimeException e) {
        metrics.dirSyncFailures.inc();
        throw e;
      }
      metrics.uploads.inc(result.uploaded().size());
      metrics.uploadFailures.inc(result.failed().size());
      return result;
    } finally {
      lock.unlock();
    }
  }

  private SyncResult syncLocked() throws IOException {
    SortedSet<Ulid> present = localBlocks();
    SortedSet<Ulid> shipped = readState();
    shipped.retainAll(present);
    List<Ulid> uploaded = new ArrayList<>();
    List<Ulid> alreadyInBucket = new ArrayList<>();
    Map<Ulid, IOException> failed = new LinkedHashMap<>();
    Path uploadRoot = dataDir.resolve(UPLOAD_DIRECTORY);
    for (Ulid id : present) {
      if (shipped.contains(id)) {
        continue;
      }
      BlockMeta meta;
      try {
        meta = BlockMeta.read(dataDir.resolve(id.toString()));
      } catch (IOException e) {
        LOG.debug("block {} has no readable meta.json yet; skipped until the next sync: {}", id, e.toString());
        continue;
      }
      if (meta.stats().numSamples() == 0) {
        continue;
      }
      if (meta.compaction().level() > 1 && !uploadCompacted) {
        continue;
      }
      try {
        if (blocks.bucket().exists(BlockBucket.metaKey(id))) {
          alreadyInBucket.add(id);
        } else {
          ship(meta, uploadRoot);
          uploaded.add(id);
        }
        shipped.add(id);
        writeState(shipped);
      } catch (IOException e) {
        LOG.warn("shipping block {} failed; retrying at the next sync: {}", id, e.toString());
        failed.put(id, e);
      }
    }
    writeState(shipped);
    return new SyncResult(uploaded, alreadyInBucket, failed);
  }

  private void ship(BlockMeta meta, Path uploadRoot) throws IOException {
    Path original = dataDir.resolve(meta.ulid().toString());
    Path staged = uploadRoot.resolve(meta.ulid().toString());
    // A leftover from a shipper that died mid-upload: start over from the original block.
    BlockDirectory.delete(staged);
    Files.createDirectories(staged.resolve(BlockBucket.CHUNKS_DIRECTORY));
    try {
      link(original.resolve(BlockBucket.INDEX_FILE), staged.resolve(BlockBucket.INDEX_FILE));
      List<String> segments = new ArrayList<>();
      try (DirectoryStream<Path> chunks = Files.newDirectoryStream(original.resolve(BlockBucket.CHUNKS_DIRECTORY))) {
        for (Path chunk : chunks) {
          link(chunk, staged.resolve(BlockBucket.CHUNKS_DIRECTORY).resolve(chunk.getFileName().toString()));
          segments.add(chunk.getFileName().toString());
        }
      }
      segments.sort(null);
      TreeMap<String, String> labels = new TreeMap<>();
      if (meta.thanos() != null) {
        labels.putAll(meta.thanos().labels());
      }
      labels.putAll(externalLabels);
      BlockMeta.ThanosMeta previous = meta.thanos();
      BlockMeta.ThanosMeta thanos = previous == null
          ? new BlockMeta.ThanosMeta(labels, 0, source, segments, List.of(), null, new BlockMeta.IndexStats(0, 0),
              null, "0001-01-01T00:00:00Z")
          : new BlockMeta.ThanosMeta(labels, previous.downsampleResolutionMillis(), source, segments, List.of(),
              previous.rewrites(), previous.indexStats(), previous.extensions(), previous.uploadTime());
      // Written afresh (not through the hard link), so the original meta.json stays as Prometheus wrote it.
      meta.withThanos(thanos).write(staged);
      blocks.upload(staged);
    } finally {
      BlockDirectory.delete(staged);
    }
  }

  private static void link(Path existing, Path link) throws IOException {
    try {
      Files.createLink(link, existing);
    } catch (UnsupportedOperationException | IOException e) {
      if (e instanceof NoSuchFileException missing) {
        throw missing;
      }
      // Another filesystem or no hard links: a copy does as well, at the cost of the disk space.
      Files.copy(existing, link, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private SortedSet<Ulid> localBlocks() throws IOException {
    SortedSet<Ulid> ids = new TreeSet<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dataDir)) {
      for (Path entry : entries) {
        String name = entry.getFileName().toString();
        if (Ulid.isValid(name) && Files.isDirectory(entry)) {
          ids.add(Ulid.parse(name));
        }
      }
    }
    return ids;
  }

  /** Returns the ULIDs recorded in the state file; empty when the file is missing or unreadable. */
  public SortedSet<Ulid> readState() throws IOException {
    Path file = dataDir.resolve(STATE_FILE);
    SortedSet<Ulid> ids = new TreeSet<>();
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return ids;
    }
    try {
      JsonNode root = JSON.readTree(bytes);
      if (root == null || root.path("version").asInt() != 1) {
        LOG.warn("{} has an unsupported version; asking the bucket about every block", file);
        return ids;
      }
      for (JsonNode id : root.path("uploaded")) {
        if (Ulid.isValid(id.asText())) {
          ids.add(Ulid.parse(id.asText()));
        }
      }
    } catch (IOException e) {
      LOG.warn("{} is not valid JSON; asking the bucket about every block: {}", file, e.toString());
    }
    return ids;
  }

  private void writeState(SortedSet<Ulid> shipped) throws IOException {
    StringBuilder json = new StringBuilder("{\n\t\"version\": 1,\n\t\"uploaded\": [");
    String separator = "\n\t\t";
    for (Ulid id : shipped) {
      json.append(separator).append('"').append(id).append('"');
      separator = ",\n\t\t";
    }
    json.append(shipped.isEmpty() ? "]\n}\n" : "\n\t]\n}\n");
    Path file = dataDir.resolve(STATE_FILE);
    Path temp = dataDir.resolve(STATE_FILE + ".tmp");
    Files.writeString(temp, json, StandardCharsets.UTF_8);
    Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /**
   * Runs {@link #sync()} every {@code interval} on the caller's scheduler; failures are logged and the next run
   * tries again.
   *
   * @param scheduler the scheduler; not shut down by the shipper
   * @param interval the pause between the end of one sync and the start of the next
   * @return the scheduled task, to cancel
   */
  public ScheduledFuture<?> schedule(ScheduledExecutorService scheduler, Duration interval) {
    return scheduler.scheduleWithFixedDelay(() -> {
      try {
        SyncResult result = sync();
        if (!result.uploaded().isEmpty()) {
          LOG.info("shipped {} block(s): {}", result.uploaded().size(), result.uploaded());
        }
      } catch (IOException | RuntimeException e) {
        // A scheduler boundary: the task must survive to try again.
        LOG.warn("shipper sync of {} failed: {}", dataDir, e.toString());
      }
    }, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Configures a {@link Shipper}. */
  public static final class Builder {
    private final Path dataDir;
    private final Bucket bucket;
    private Map<String, String> externalLabels = Map.of();
    private String source = "sidecar";
    private boolean uploadCompacted;
    private Clock clock = Clock.systemUTC();
    private @Nullable PrometheusRegistry metricsRegistry;

    private Builder(Path dataDir, Bucket bucket) {
      this.dataDir = requireNonNull(dataDir, "dataDir is null");
      this.bucket = requireNonNull(bucket, "bucket is null");
    }

    /**
     * Sets the external labels put into every shipped block's {@code thanos.labels}, for example {@code cluster},
     * {@code environment} and a replica label. Required: Thanos refuses blocks without external labels.
     *
     * @param labels the labels, not empty
     * @return this builder
     */
    public Builder externalLabels(Map<String, String> labels) {
      if (requireNonNull(labels, "labels is null").isEmpty()) {
        throw new IllegalArgumentException("external labels must not be empty: Thanos refuses blocks without them");
      }
      this.externalLabels = Map.copyOf(labels);
      return this;
    }

    /**
     * Sets {@code thanos.source} (default {@code sidecar}).
     *
     * @param source the producer name
     * @return this builder
     */
    public Builder source(String source) {
      this.source = requireNonNull(source, "source is null");
      return this;
    }

    /**
     * Also ships compacted blocks (level &gt; 1), as Thanos' {@code --shipper.upload-compacted} does.
     *
     * @param upload whether to
     * @return this builder
     */
    public Builder uploadCompacted(boolean upload) {
      this.uploadCompacted = upload;
      return this;
    }

    /**
     * Sets the clock for {@code upload_time} (default UTC system clock).
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = requireNonNull(clock, "clock is null");
      return this;
    }

    /**
     * Registers the shipper's metrics with {@code registry}: Thanos' {@code thanos_shipper_*} families; default none.
     *
     * @param registry the registry
     * @return this builder
     */
    public Builder metrics(PrometheusRegistry registry) {
      this.metricsRegistry = requireNonNull(registry, "registry is null");
      return this;
    }

    /** Returns the shipper. */
    public Shipper build() {
      if (externalLabels.isEmpty()) {
        throw new IllegalStateException("externalLabels must be set: Thanos refuses blocks without them");
      }
      return new Shipper(this);
    }
  }
}
