package dev.orrery.core.block;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orrery.core.io.CorruptBlockException;
import dev.orrery.core.labels.Utf8Order;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The content of a block's {@code meta.json} (FORMATS.md 1.3): the Prometheus fields and, for blocks that went
 * through Thanos, the {@code thanos} section. {@link #toJson()} reproduces Prometheus' bytes (tab-indented, keys in
 * upstream order, zero fields omitted); with a Thanos section it writes Thanos' form with a trailing newline.
 * Immutable.
 *
 * @param ulid the block's ULID, equal to its directory name
 * @param minTimeMillis inclusive lower time bound
 * @param maxTimeMillis exclusive upper time bound
 * @param stats sample, series, chunk and tombstone counts
 * @param compaction level, sources and parents
 * @param thanos the Thanos section, or {@code null} for a plain Prometheus block
 */
public record BlockMeta(
    Ulid ulid, long minTimeMillis, long maxTimeMillis, Stats stats, Compaction compaction, ThanosMeta thanos) {

  /** The only meta.json format version. */
  public static final int VERSION = 1;
  /** File name inside a block directory. */
  public static final String FILE_NAME = "meta.json";

  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** Checks required fields. */
  public BlockMeta {
    Objects.requireNonNull(ulid, "ulid is null");
    Objects.requireNonNull(stats, "stats is null");
    Objects.requireNonNull(compaction, "compaction is null");
  }

  /** This meta with another Thanos section. */
  public BlockMeta withThanos(ThanosMeta newThanos) {
    return new BlockMeta(ulid, minTimeMillis, maxTimeMillis, stats, compaction, newThanos);
  }

  /** Counts from {@code meta.json}'s {@code stats}; zero fields are omitted when written. */
  public record Stats(
      long numSamples,
      long numFloatSamples,
      long numHistogramSamples,
      long numSeries,
      long numChunks,
      long numTombstones) {
    /** Stats in Prometheus 2.x form (no split float/histogram counts). */
    public static Stats of(long numSamples, long numSeries, long numChunks) {
      return new Stats(numSamples, 0, 0, numSeries, numChunks, 0);
    }
  }

  /** A parent block of a compaction. */
  public record BlockDesc(Ulid ulid, long minTimeMillis, long maxTimeMillis) {}

  /** The {@code compaction} object. */
  public record Compaction(
      int level, List<Ulid> sources, boolean deletable, List<BlockDesc> parents, boolean failed,
      List<String> hints) {
    /** Copies the lists. */
    public Compaction {
      sources = List.copyOf(sources);
      parents = List.copyOf(parents);
      hints = List.copyOf(hints);
    }

    /** Level 1, the block as its own only source: what a head flush or a block writer produces. */
    public static Compaction level1(Ulid self) {
      return new Compaction(1, List.of(self), false, List.of(), false, List.of());
    }
  }

  /** An entry of {@code thanos.files}. */
  public record ThanosFile(String relPath, long sizeBytes, JsonNode hash) {}

  /** {@code thanos.index_stats}. */
  public record IndexStats(long seriesMaxSize, long chunkMaxSize) {}

  /**
   * The {@code thanos} section.
   *
   * @param labels external labels, sorted by name
   * @param downsampleResolutionMillis 0 raw, 300000 for 5m, 3600000 for 1h
   * @param source the producer, e.g. {@code sidecar}, {@code compactor}
   * @param rewrites opaque, round-tripped ({@code null} when absent)
   * @param extensions opaque, round-tripped ({@code null} when absent)
   * @param uploadTime RFC 3339 string, {@code 0001-01-01T00:00:00Z} when unset
   */
  public record ThanosMeta(
      SortedMap<String, String> labels,
      long downsampleResolutionMillis,
      String source,
      List<String> segmentFiles,
      List<ThanosFile> files,
      JsonNode rewrites,
      IndexStats indexStats,
      JsonNode extensions,
      String uploadTime) {
    /** Copies the collections. */
    public ThanosMeta {
      TreeMap<String, String> sorted = new TreeMap<>(Utf8Order.COMPARATOR);
      sorted.putAll(labels);
      labels = Collections.unmodifiableSortedMap(sorted);
      segmentFiles = List.copyOf(segmentFiles);
      files = List.copyOf(files);
      Objects.requireNonNull(source, "source is null");
      Objects.requireNonNull(indexStats, "indexStats is null");
      Objects.requireNonNull(uploadTime, "uploadTime is null");
    }

    /** A section with just external labels, resolution and source. */
    public static ThanosMeta of(Map<String, String> labels, long resolutionMillis, String source) {
      return new ThanosMeta(new TreeMap<>(labels), resolutionMillis, source, List.of(), List.of(), null,
          new IndexStats(0, 0), null, "0001-01-01T00:00:00Z");
    }

    /** This section with other external labels. */
    public ThanosMeta withLabels(Map<String, String> newLabels) {
      return new ThanosMeta(new TreeMap<>(newLabels), downsampleResolutionMillis, source, segmentFiles, files, rewrites,
          indexStats, extensions, uploadTime);
    }

    /**
     * A section for the block written in {@code blockDir} (its {@code chunks/} and {@code index} complete): the
     * segment files, and the files with their sizes as Thanos lists them ({@code meta.json} without one).
     */
    public static ThanosMeta ofBlockFiles(Path blockDir, Map<String, String> labels, long resolutionMillis,
        String source) throws IOException {
      List<String> segments = new ArrayList<>();
      List<ThanosFile> files = new ArrayList<>();
      try (Stream<Path> list = Files.list(blockDir.resolve("chunks"))) {
        for (Path p : (Iterable<Path>) list.sorted()::iterator) {
          segments.add(p.getFileName().toString());
          files.add(new ThanosFile("chunks/" + p.getFileName(), Files.size(p), null));
        }
      }
      files.add(new ThanosFile("index", Files.size(blockDir.resolve("index")), null));
      files.add(new ThanosFile(FILE_NAME, 0, null));
      return new ThanosMeta(new TreeMap<>(labels), resolutionMillis, source, segments, files, null,
          new IndexStats(0, 0), null, "0001-01-01T00:00:00Z");
    }
  }

  /**
   * Reads {@code <blockDir>/meta.json}.
   *
   * @throws CorruptBlockException if the file is not valid meta.json; the message names the file and the field
   * @throws NoSuchFileException if the file is missing
   */
  public static BlockMeta read(Path blockDir) throws IOException {
    Path file = blockDir.resolve(FILE_NAME);
    return parse(Files.readAllBytes(file), file.toString());
  }

  /**
   * Parses meta.json bytes; {@code resource} names the file in errors.
   *
   * @throws CorruptBlockException on malformed JSON, a missing or mistyped field, or an unsupported version
   */
  public static BlockMeta parse(byte[] json, String resource) throws CorruptBlockException {
    JsonNode root;
    try {
      root = MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new CorruptBlockException(resource, -1, "invalid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new CorruptBlockException(resource, -1, "invalid JSON: " + e.getMessage());
    }
    MetaFields f = new MetaFields(resource);
    if (root == null || !root.isObject()) {
      throw new CorruptBlockException(resource, -1, "meta.json is not a JSON object");
    }
    long version = f.requiredLong(root, "version");
    if (version != VERSION) {
      throw new CorruptBlockException(resource, -1, "field \"version\": unsupported meta version " + version
          + " (want " + VERSION + ")");
    }
    Ulid ulid = f.ulid(root, "ulid");
    long minTime = f.requiredLong(root, "minTime");
    long maxTime = f.requiredLong(root, "maxTime");
    if (maxTime < minTime) {
      throw new CorruptBlockException(resource, -1, "field \"maxTime\": " + maxTime + " is before minTime "
          + minTime);
    }
    JsonNode st = f.object(root, "stats", false);
    Stats stats = new Stats(f.optLong(st, "numSamples"), f.optLong(st, "numFloatSamples"),
        f.optLong(st, "numHistogramSamples"), f.optLong(st, "numSeries"), f.optLong(st, "numChunks"),
        f.optLong(st, "numTombstones"));
    JsonNode c = f.object(root, "compaction", true);
    List<Ulid> sources = new ArrayList<>();
    for (JsonNode n : f.array(c, "sources")) {
      sources.add(f.ulidValue(n, "compaction.sources"));
    }
    List<BlockDesc> parents = new ArrayList<>();
    for (JsonNode n : f.array(c, "parents")) {
      parents.add(new BlockDesc(f.ulid(n, "ulid"), f.requiredLong(n, "minTime"), f.requiredLong(n, "maxTime")));
    }
    List<String> hints = new ArrayList<>();
    for (JsonNode n : f.array(c, "hints")) {
      hints.add(f.text(n, "compaction.hints"));
    }
    Compaction compaction = new Compaction((int) f.requiredLong(c, "level"), sources, f.optBool(c, "deletable"),
        parents, f.optBool(c, "failed"), hints);
    ThanosMeta thanos = root.has("thanos") && !root.get("thanos").isNull() ? parseThanos(f, root.get("thanos"))
        : null;
    return new BlockMeta(ulid, minTime, maxTime, stats, compaction, thanos);
  }

  private static ThanosMeta parseThanos(MetaFields f, JsonNode t) throws CorruptBlockException {
    if (!t.isObject()) {
      throw f.bad("thanos", "want an object");
    }
    long v = f.optLong(t, "version");
    if (v != 0 && v != 1) {
      throw f.bad("thanos.version", "unsupported Thanos meta version " + v);
    }
    TreeMap<String, String> labels = new TreeMap<>(Utf8Order.COMPARATOR);
    JsonNode l = t.get("labels");
    if (l != null && !l.isNull()) {
      if (!l.isObject()) {
        throw f.bad("thanos.labels", "want an object");
      }
      for (Map.Entry<String, JsonNode> e : l.properties()) {
        labels.put(e.getKey(), f.text(e.getValue(), "thanos.labels." + e.getKey()));
      }
    }
    JsonNode ds = t.get("downsample");
    long resolution = ds == null || ds.isNull() ? 0 : f.optLong(ds, "resolution");
    String source = t.has("source") ? f.text(t.get("source"), "thanos.source") : "";
    List<String> segmentFiles = new ArrayList<>();
    for (JsonNode n : f.array(t, "segment_files")) {
      segmentFiles.add(f.text(n, "thanos.segment_files"));
    }
    List<ThanosFile> files = new ArrayList<>();
    for (JsonNode n : f.array(t, "files")) {
      JsonNode hash = n.get("hash");
      files.add(new ThanosFile(f.text(n.get("rel_path"), "thanos.files.rel_path"), f.optLong(n, "size_bytes"),
          hash == null || hash.isNull() ? null : hash));
    }
    JsonNode is = t.get("index_stats");
    IndexStats indexStats = is == null || is.isNull() ? new IndexStats(0, 0)
        : new IndexStats(f.optLong(is, "series_max_size"), f.optLong(is, "chunk_max_size"));
    JsonNode rewrites = t.get("rewrites");
    JsonNode extensions = t.get("extensions");
    String uploadTime = t.has("upload_time") ? f.text(t.get("upload_time"), "thanos.upload_time")
        : "0001-01-01T00:00:00Z";
    return new ThanosMeta(labels, resolution, source, segmentFiles, files,
        rewrites == null || rewrites.isNull() || rewrites.isEmpty() ? null : rewrites, indexStats,
        extensions == null || extensions.isNull() ? null : extensions, uploadTime);
  }

  /**
   * The meta.json text: Prometheus' exact bytes for a plain block (no trailing newline), Thanos' form (trailing
   * newline) when a Thanos section is present.
   */
  public String toJson() {
    GoJsonWriter w = new GoJsonWriter().beginObject();
    w.key("ulid").value(ulid.toString());
    w.key("minTime").value(minTimeMillis);
    w.key("maxTime").value(maxTimeMillis);
    w.key("stats").beginObject();
    longIfNonZero(w, "numSamples", stats.numSamples());
    longIfNonZero(w, "numFloatSamples", stats.numFloatSamples());
    longIfNonZero(w, "numHistogramSamples", stats.numHistogramSamples());
    longIfNonZero(w, "numSeries", stats.numSeries());
    longIfNonZero(w, "numChunks", stats.numChunks());
    longIfNonZero(w, "numTombstones", stats.numTombstones());
    w.endObject();
    w.key("compaction").beginObject();
    w.key("level").value(compaction.level());
    if (!compaction.sources().isEmpty()) {
      w.key("sources").beginArray();
      for (Ulid u : compaction.sources()) {
        w.arrayElement().value(u.toString());
      }
      w.endArray();
    }
    if (compaction.deletable()) {
      w.key("deletable").value(true);
    }
    if (!compaction.parents().isEmpty()) {
      w.key("parents").beginArray();
      for (BlockDesc p : compaction.parents()) {
        w.arrayElement().beginObject().key("ulid").value(p.ulid().toString()).key("minTime")
            .value(p.minTimeMillis()).key("maxTime").value(p.maxTimeMillis()).endObject();
      }
      w.endArray();
    }
    if (compaction.failed()) {
      w.key("failed").value(true);
    }
    if (!compaction.hints().isEmpty()) {
      w.key("hints").beginArray();
      for (String h : compaction.hints()) {
        w.arrayElement().value(h);
      }
      w.endArray();
    }
    w.endObject();
    w.key("version").value(VERSION);
    if (thanos != null) {
      writeThanos(w, thanos);
    }
    w.endObject();
    return thanos == null ? w.toString() : w + "\n";
  }

  private static void writeThanos(GoJsonWriter w, ThanosMeta t) {
    w.key("thanos").beginObject();
    w.key("labels").beginObject();
    for (Map.Entry<String, String> e : t.labels().entrySet()) {
      w.key(e.getKey()).value(e.getValue());
    }
    w.endObject();
    w.key("downsample").beginObject().key("resolution").value(t.downsampleResolutionMillis()).endObject();
    w.key("source").value(t.source());
    if (!t.segmentFiles().isEmpty()) {
      w.key("segment_files").beginArray();
      for (String s : t.segmentFiles()) {
        w.arrayElement().value(s);
      }
      w.endArray();
    }
    if (!t.files().isEmpty()) {
      w.key("files").beginArray();
      for (ThanosFile file : t.files()) {
        w.arrayElement().beginObject().key("rel_path").value(file.relPath());
        longIfNonZero(w, "size_bytes", file.sizeBytes());
        if (file.hash() != null) {
          w.key("hash").value(file.hash());
        }
        w.endObject();
      }
      w.endArray();
    }
    if (t.rewrites() != null) {
      w.key("rewrites").value(t.rewrites());
    }
    w.key("index_stats").beginObject();
    longIfNonZero(w, "series_max_size", t.indexStats().seriesMaxSize());
    longIfNonZero(w, "chunk_max_size", t.indexStats().chunkMaxSize());
    w.endObject();
    if (t.extensions() != null) {
      w.key("extensions").value(t.extensions());
    }
    w.key("upload_time").value(t.uploadTime());
    w.endObject();
  }

  private static void longIfNonZero(GoJsonWriter w, String key, long v) {
    if (v != 0) {
      w.key(key).value(v);
    }
  }

  /** Writes {@code <blockDir>/meta.json} atomically (through {@code meta.json.tmp} and a rename). */
  public void write(Path blockDir) throws IOException {
    Path tmp = blockDir.resolve(FILE_NAME + ".tmp");
    Files.write(tmp, toJson().getBytes(StandardCharsets.UTF_8));
    Files.move(tmp, blockDir.resolve(FILE_NAME), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }
}
