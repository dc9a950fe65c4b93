package dev.orrery.storeapi.sidecar;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.ByteString;
import dev.orrery.core.OrreryException;
import dev.orrery.core.OrreryException.ErrorCode;
import dev.orrery.core.block.BlockMeta;
import dev.orrery.core.chunk.Chunk;
import dev.orrery.core.chunk.ChunkEncoding;
import dev.orrery.core.chunk.SampleIterator;
import dev.orrery.core.chunk.ValueType;
import dev.orrery.core.chunk.XorAppender;
import dev.orrery.core.labels.Labels;
import dev.orrery.core.labels.Matcher;
import dev.orrery.core.labels.Utf8Order;
import dev.orrery.core.rules.RuleGroups;
import dev.orrery.core.rules.RuleGroupsSource;
import dev.orrery.core.rules.RulesFilter;
import dev.orrery.core.storage.ExemplarQuery;
import dev.orrery.core.storage.ExemplarSet;
import dev.orrery.core.storage.ExemplarSource;
import dev.orrery.core.storage.MetricMetadataSet;
import dev.orrery.core.storage.MetricMetadataSource;
import dev.orrery.core.storage.StoreOptions;
import dev.orrery.core.targets.TargetDiscovery;
import dev.orrery.core.targets.TargetsSource;
import dev.orrery.objstore.Bucket;
import dev.orrery.objstore.block.Shipper;
import dev.orrery.storeapi.SeriesFrameAssembler;
import dev.orrery.storeapi.SeriesSink;
import dev.orrery.storeapi.StoreApi;
import dev.orrery.storeapi.WireChunks;
import dev.orrery.storeapi.WireLabels;
import dev.orrery.storeapi.proto.info.ExemplarsInfo;
import dev.orrery.storeapi.proto.info.InfoResponse;
import dev.orrery.storeapi.proto.info.MetricMetadataInfo;
import dev.orrery.storeapi.proto.info.RulesInfo;
import dev.orrery.storeapi.proto.info.StoreInfo;
import dev.orrery.storeapi.proto.info.TSDBInfo;
import dev.orrery.storeapi.proto.info.TargetsInfo;
import dev.orrery.storeapi.proto.prompb.ChunkedReadResponse;
import dev.orrery.storeapi.proto.prompb.ChunkedSeries;
import dev.orrery.storeapi.proto.prompb.Query;
import dev.orrery.storeapi.proto.prompb.ReadRequest;
import dev.orrery.storeapi.proto.prompb.TimeSeries;
import dev.orrery.storeapi.proto.thanos.AggrChunk;
import dev.orrery.storeapi.proto.thanos.LabelNamesRequest;
import dev.orrery.storeapi.proto.thanos.LabelNamesResponse;
import dev.orrery.storeapi.proto.thanos.LabelValuesRequest;
import dev.orrery.storeapi.proto.thanos.LabelValuesResponse;
import dev.orrery.storeapi.proto.thanos.SeriesRequest;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Thanos sidecar's StoreAPI over one running Prometheus (FORMATS.md 8.4, 10): {@code Series} becomes one remote
 * read with {@code STREAMED_XOR_CHUNKS} (falling back to re-chunking a {@code SAMPLES} answer), chunks pass through
 * without re-encoding (XOR2 is re-encoded to XOR, the one encoding the StoreAPI lacks), and every series carries the
 * external labels of Prometheus' configuration, which win over series labels of the same name. Matchers on external
 * labels are checked here and not sent; at least one other matcher is required. {@code Info} reports the external
 * labels and the time range from the oldest block in the data directory (or the head) to the end of time, and
 * announces the metric metadata, rules, exemplars and targets APIs, answered from Prometheus' {@code
 * /api/v1/metadata}, {@code /api/v1/rules}, {@code /api/v1/query_exemplars} and {@code /api/v1/targets} (rules,
 * series and targets with the external labels added, as Thanos' sidecar shows them).
 *
 * <p>{@link #refresh()} re-reads external labels and the minimum time; call it before serving and periodically
 * ({@link #schedule}). Thread-safe.
 */
public final class SidecarStore implements StoreApi, MetricMetadataSource, RuleGroupsSource, ExemplarSource,
    TargetsSource {
  private static final Logger LOG = LoggerFactory.getLogger(SidecarStore.class);
  private static final int SAMPLES_PER_CHUNK = 120;

  private final PrometheusClient prometheus;
  private final @Nullable Path dataDir;
  private volatile Labels externalLabels = Labels.empty();
  private volatile long minTime = Long.MAX_VALUE;
  private volatile boolean ready;
  /** Whether the last {@link #refresh()} reached Prometheus, and when one last did (Unix ms, 0: never). */
  private volatile boolean prometheusUp;
  private volatile long lastHeartbeatMillis;

  /**
   * @param prometheus the client of the Prometheus to serve
   * @param dataDir Prometheus' TSDB directory, to find the oldest block (and to ship blocks), or {@code null}
   */
  public SidecarStore(PrometheusClient prometheus, @Nullable Path dataDir) {
    this.prometheus = requireNonNull(prometheus, "prometheus is null");
    this.dataDir = dataDir;
  }

  /**
   * {@link #refresh()} until Prometheus answers, every {@code interval}, for at most {@code timeout} (Thanos' {@code
   * --prometheus.ready_timeout}): a sidecar usually starts beside a Prometheus that is not up yet.
   *
   * @throws IOException naming Prometheus and the last failure, when it did not answer in time
   * @throws InterruptedException if interrupted while waiting
   */
  public void awaitPrometheus(Duration timeout, Duration interval) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      try {
        refresh();
        return;
      } catch (IOException e) {
        if (System.nanoTime() + interval.toNanos() > deadline) {
          throw new IOException("Prometheus at " + prometheus.base() + " did not answer within " + timeout + ": "
              + (e.getMessage() == null ? e.toString() : e.getMessage()), e);
        }
        LOG.info("waiting for Prometheus at {}: {}", prometheus.base(), e.toString());
        Thread.sleep(interval);
      }
    }
  }

  /**
   * Reads Prometheus' external labels and the oldest timestamp it holds.
   *
   * @throws IOException if Prometheus cannot be reached
   */
  public void refresh() throws IOException {
    Labels ext;
    long min;
    try {
      ext = WireLabels.toLabels(prometheus.externalLabels());
      min = prometheus.headMinTime();
    } catch (IOException | RuntimeException e) {
      prometheusUp = false;
      throw e;
    }
    prometheusUp = true;
    lastHeartbeatMillis = System.currentTimeMillis();
    if (dataDir != null) {
      min = Math.min(min, oldestBlock(dataDir));
    }
    externalLabels = ext;
    minTime = min == Long.MAX_VALUE ? 0 : min;
    ready = true;
  }

  private static long oldestBlock(Path dir) throws IOException {
    long min = Long.MAX_VALUE;
    if (!Files.isDirectory(dir)) {
      return min;
    }
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path p : ds) {
        if (Files.isRegularFile(p.resolve(BlockMeta.FILE_NAME))) {
          try {
            min = Math.min(min, BlockMeta.read(p).minTimeMillis());
          } catch (IOException e) {
            LOG.debug("skipping {}: {}", p, e.toString());
          }
        }
      }
    }
    return min;
  }

  /**
   * Registers the sidecar's metrics with {@code registry}, as Thanos' sidecar names them: {@code
   * thanos_sidecar_prometheus_up} (1 when the last refresh reached Prometheus) and {@code
   * thanos_sidecar_last_heartbeat_success_time_seconds}.
   */
  public void registerMetrics(PrometheusRegistry registry) {
    GaugeWithCallback.builder().name("thanos_sidecar_prometheus_up")
        .help("Boolean indicator whether the sidecar can reach its Prometheus peer.")
        .callback(cb -> cb.call(prometheusUp ? 1 : 0)).register(registry);
    GaugeWithCallback.builder().name("thanos_sidecar_last_heartbeat_success_time_seconds")
        .help("Timestamp of the last successful heartbeat in seconds.")
        .callback(cb -> cb.call(lastHeartbeatMillis / 1000.0)).register(registry);
  }

  /** Runs {@link #refresh()} every {@code interval} on {@code scheduler} (owned by the caller). */
  public ScheduledFuture<?> schedule(ScheduledExecutorService scheduler, Duration interval) {
    return scheduler.scheduleWithFixedDelay(() -> {
      try {
        refresh();
      } catch (IOException | RuntimeException e) {
        LOG.warn("cannot refresh Prometheus' external labels and time range: {}", e.toString());
      }
    }, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The external labels last read from Prometheus. */
  public Labels externalLabels() {
    return externalLabels;
  }

  /**
   * A shipper that uploads this Prometheus' new blocks with its external labels (FORMATS.md 6.5). Run its {@code
   * sync()} or {@code schedule(...)}; call after {@link #refresh()}.
   *
   * @throws IllegalStateException without a data directory or external labels
   */
  public Shipper shipper(Bucket bucket) {
    if (dataDir == null) {
      throw new IllegalStateException("the sidecar has no Prometheus data directory to ship");
    }
    Labels ext = externalLabels;
    if (ext.isEmpty()) {
      throw new IllegalStateException("Prometheus has no external labels; blocks cannot be shipped without them");
    }
    Map<String, String> labels = new java.util.TreeMap<>();
    ext.forEach(labels::put);
    return Shipper.builder(dataDir, bucket).externalLabels(labels).source("sidecar").build();
  }

  private void checkReady() {
    if (!ready) {
      throw new OrreryException(ErrorCode.STORAGE, "sidecar is not ready: Prometheus at " + prometheus.base()
          + " has not been reached yet");
    }
  }

  @Override
  public void series(SeriesRequest request, SeriesSink sink) {
    checkReady();
    Labels ext = externalLabels;
    Matcher[] matchers = WireLabels.toMatchers(request.getMatchersList());
    List<Matcher> local = new ArrayList<>();
    for (Matcher m : matchers) {
      if (ext.has(m.name())) {
        if (!m.matches(ext.get(m.name()))) {
          return;
        }
      } else {
        local.add(m);
      }
    }
    if (local.isEmpty()) {
      throw new OrreryException(ErrorCode.BAD_QUERY, "no matchers specified (excluding external labels)");
    }
    long start = Math.max(request.getMinTime(), minTime);
    long end = request.getMaxTime();
    if (start > end) {
      return;
    }
    Query.Builder q = Query.newBuilder().setStartTimestampMs(start).setEndTimestampMs(end);
    for (Matcher m : local) {
      q.addMatchers(dev.orrery.storeapi.proto.prompb.LabelMatcher.newBuilder()
          .setTypeValue(WireLabels.toWire(m).getTypeValue()).setName(m.name()).setValue(remoteValue(m)));
    }
    ReadRequest read = ReadRequest.newBuilder().addQueries(q)
        .addAcceptedResponseTypes(ReadRequest.ResponseType.STREAMED_XOR_CHUNKS)
        .addAcceptedResponseTypes(ReadRequest.ResponseType.SAMPLES)
        .build();
    String[] without = request.getWithoutReplicaLabelsList().toArray(new String[0]);
    long limit = request.getLimit() > 0 ? request.getLimit() : Long.MAX_VALUE;
    try (PrometheusClient.Frames frames = prometheus.read(read)) {
      SeriesFrameAssembler out = new SeriesFrameAssembler(sink, ext, without, request.getSkipChunks(), limit);
      if (frames.samples() != null) {
        for (var result : frames.samples().getResultsList()) {
          for (TimeSeries ts : result.getTimeseriesList()) {
            out.add(ts.getLabelsList(), rechunk(ts));
          }
        }
      } else {
        while (frames.hasNext() && !out.full()) {
          ChunkedReadResponse f = frames.next();
          for (ChunkedSeries cs : f.getChunkedSeriesList()) {
            List<AggrChunk> chunks = new ArrayList<>(cs.getChunksCount());
            for (dev.orrery.storeapi.proto.prompb.Chunk c : cs.getChunksList()) {
              chunks.add(convert(c));
            }
            out.add(cs.getLabelsList(), chunks);
          }
        }
      }
      out.finish();
    } catch (IOException e) {
      throw new OrreryException(ErrorCode.STORAGE, "remote read from Prometheus at " + prometheus.base() + " failed: "
          + e.getMessage(), e);
    }
  }

  /**
   * The matcher value to send to Prometheus. Orrery's regexes follow Prometheus 3 ({@code .} matches a newline);
   * Prometheus 2.x does not, so the sidecar asks for the 3.x meaning explicitly with the {@code s} flag (harmless on
   * 3.x), and every store of a querier answers a regex the same way.
   */
  static String remoteValue(Matcher m) {
    return switch (m.type()) {
      case REGEX, NOT_REGEX -> "(?s:" + m.value() + ")";
      case EQUAL, NOT_EQUAL -> m.value();
    };
  }

  // 10.2 enum offset: Prometheus' XOR is 1, the StoreAPI's 0.
  private static AggrChunk convert(dev.orrery.storeapi.proto.prompb.Chunk c) {
    dev.orrery.storeapi.proto.thanos.Chunk.Builder wire = dev.orrery.storeapi.proto.thanos.Chunk.newBuilder();
    switch (c.getTypeValue()) {
      case 1 -> wire.setType(dev.orrery.storeapi.proto.thanos.Chunk.Encoding.XOR).setData(c.getData());
      case 2 -> wire.setType(dev.orrery.storeapi.proto.thanos.Chunk.Encoding.HISTOGRAM).setData(c.getData());
      case 3 -> wire.setType(dev.orrery.storeapi.proto.thanos.Chunk.Encoding.FLOAT_HISTOGRAM).setData(c.getData());
      case 4 -> {
        Chunk xor2 = Chunk.of(ChunkEncoding.XOR2, c.getData().asReadOnlyByteBuffer(), "remote read", -1);
        SampleIterator it = xor2.iterator(null);
        XorAppender app = new XorAppender();
        while (it.next() == ValueType.FLOAT) {
          app.appendBits(it.atT(), Double.doubleToRawLongBits(it.atV()));
        }
        wire.setType(dev.orrery.storeapi.proto.thanos.Chunk.Encoding.XOR).setData(ByteString.copyFrom(app.bytes()));
      }
      default -> throw new OrreryException(ErrorCode.UNSUPPORTED, "remote read returned chunk encoding "
          + c.getTypeValue() + ", which the StoreAPI cannot carry");
    }
    return AggrChunk.newBuilder().setMinTime(c.getMinTimeMs()).setMaxTime(c.getMaxTimeMs()).setRaw(wire).build();
  }

  // 10.3: a SAMPLES answer is cut into XOR chunks of at most 120 samples.
  private static List<AggrChunk> rechunk(TimeSeries ts) {
    List<AggrChunk> out = new ArrayList<>();
    XorAppender app = new XorAppender();
    for (var s : ts.getSamplesList()) {
      if (app.numSamples() == SAMPLES_PER_CHUNK) {
        out.add(WireChunks.xor(app));
        app = new XorAppender();
      }
      app.appendBits(s.getTimestamp(), Double.doubleToRawLongBits(s.getValue()));
    }
    if (app.numSamples() > 0) {
      out.add(WireChunks.xor(app));
    }
    return out;
  }

  @Override
  public LabelNamesResponse labelNames(LabelNamesRequest request) {
    checkReady();
    Labels ext = externalLabels;
    Matcher[] local = WireLabels.localMatchers(ext, WireLabels.toMatchers(request.getMatchersList()));
    if (local == null) {
      return LabelNamesResponse.getDefaultInstance();
    }
    TreeSet<String> names = new TreeSet<>(Utf8Order.COMPARATOR);
    try {
      names.addAll(prometheus.labelNames(start(request.getStart()), end(request.getEnd()), local));
    } catch (IOException e) {
      throw new OrreryException(ErrorCode.STORAGE, "label names from " + prometheus.base() + ": " + e.getMessage(),
          e);
    }
    ext.forEach((n, v) -> names.add(n));
    names.removeAll(request.getWithoutReplicaLabelsList());
    return LabelNamesResponse.newBuilder().addAllNames(limit(names, request.getLimit())).build();
  }

  @Override
  public LabelValuesResponse labelValues(LabelValuesRequest request) {
    checkReady();
    String name = request.getLabel();
    if (request.getWithoutReplicaLabelsList().contains(name)) {
      return LabelValuesResponse.getDefaultInstance();
    }
    Labels ext = externalLabels;
    Matcher[] local = WireLabels.localMatchers(ext, WireLabels.toMatchers(request.getMatchersList()));
    if (local == null) {
      return LabelValuesResponse.getDefaultInstance();
    }
    if (ext.has(name)) {
      return LabelValuesResponse.newBuilder().addValues(ext.get(name)).build();
    }
    TreeSet<String> values = new TreeSet<>(Utf8Order.COMPARATOR);
    try {
      values.addAll(prometheus.labelValues(name, start(request.getStart()), end(request.getEnd()), local));
    } catch (IOException e) {
      throw new OrreryException(ErrorCode.STORAGE, "label values from " + prometheus.base() + ": " + e.getMessage(),
          e);
    }
    return LabelValuesResponse.newBuilder().addAllValues(limit(values, request.getLimit())).build();
  }

  private static long start(long s) {
    return s == 0 ? -62135596800000L : s;
  }

  private static long end(long e) {
    return e == 0 ? 253402300799000L : e;
  }

  private static List<String> limit(TreeSet<String> s, long limit) {
    List<String> l = new ArrayList<>(s);
    return limit > 0 && l.size() > limit ? l.subList(0, (int) limit) : l;
  }

  @Override
  public InfoResponse info() {
    checkReady();
    Labels ext = externalLabels;
    long min = minTime;
    InfoResponse.Builder out = InfoResponse.newBuilder().setComponentType("sidecar")
        .addLabelSets(WireLabels.toLabelSet(ext));
    out.setStore(StoreInfo.newBuilder().setMinTime(min).setMaxTime(Long.MAX_VALUE)
        .setSupportsWithoutReplicaLabels(true)
        .addTsdbInfos(TSDBInfo.newBuilder().setLabels(WireLabels.toLabelSet(ext)).setMinTime(min)
            .setMaxTime(Long.MAX_VALUE)));
    return out.setMetricMetadata(MetricMetadataInfo.getDefaultInstance()).setRules(RulesInfo.getDefaultInstance())
        .setExemplars(ExemplarsInfo.newBuilder().setMinTime(min).setMaxTime(Long.MAX_VALUE))
        .setTargets(TargetsInfo.getDefaultInstance()).build();
  }

  /** Prometheus' targets in {@code state} (or all), with the external labels; a failure is an error. */
  @Override
  public TargetDiscovery targets(String state, StoreOptions options) {
    checkReady();
    try {
      return prometheus.targets(state).withExternalLabels(externalLabels);
    } catch (IOException e) {
      throw new OrreryException(ErrorCode.STORAGE, "targets from " + prometheus.base() + ": " + e.getMessage(), e);
    }
  }

  /**
   * Prometheus' exemplars for {@code query}, with the external labels: selectors that contradict them select nothing,
   * and matchers on them are answered here. A failure is an error.
   */
  @Override
  public ExemplarSet exemplars(ExemplarQuery query, StoreOptions options) {
    checkReady();
    Labels ext = externalLabels;
    String local = query.queryFor(List.of(ext));
    if (local == null) {
      return ExemplarSet.EMPTY;
    }
    try {
      return new ExemplarSet(prometheus.queryExemplars(local, query.startMillis(), query.endMillis()), List.of())
          .withExternalLabels(ext);
    } catch (IOException e) {
      throw new OrreryException(ErrorCode.STORAGE, "exemplars from " + prometheus.base() + ": " + e.getMessage(), e);
    }
  }

  /** Prometheus' rule groups that pass {@code filter}, with the external labels; a failure is an error. */
  @Override
  public RuleGroups ruleGroups(RulesFilter filter, StoreOptions options) {
    checkReady();
    try {
      RuleGroups all = new RuleGroups(prometheus.ruleGroups(filter.type()), List.of())
          .withExternalLabels(externalLabels);
      return new RuleGroups(filter.apply(all.groups()), List.of());
    } catch (IOException e) {
      throw new OrreryException(ErrorCode.STORAGE, "rules from " + prometheus.base() + ": " + e.getMessage(), e);
    }
  }

  /** Prometheus' metadata for {@code metric} (or all), one store: a failure is an error whatever the options. */
  @Override
  public MetricMetadataSet metricMetadata(String metric, int limit, StoreOptions options) {
    MetricMetadataSet.Builder out = MetricMetadataSet.builder(limit);
    try {
      prometheus.metricMetadata(metric, limit).forEach(out::add);
    } catch (IOException e) {
      throw new OrreryException(ErrorCode.STORAGE, "metric metadata from " + prometheus.base() + ": "
          + e.getMessage(), e);
    }
    return out.build();
  }
}
