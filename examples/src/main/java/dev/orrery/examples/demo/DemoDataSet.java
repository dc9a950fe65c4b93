package dev.orrery.examples.demo;

import dev.orrery.core.block.BlockMeta;
import dev.orrery.core.block.PartitionedBlockWriter;
import dev.orrery.core.histogram.CounterResetHint;
import dev.orrery.core.histogram.FloatHistogram;
import dev.orrery.core.histogram.Span;
import dev.orrery.core.labels.Labels;
import dev.orrery.core.storage.MetricMetadata;
import dev.orrery.core.storage.MetricMetadataSet;
import dev.orrery.core.storage.MetricMetadataSource;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A synthetic multi-cluster data set: three clusters, each scraped by two Prometheus replicas, over a few hours at
 * 15 s. Every (cluster, replica) pair becomes its own 2h-aligned blocks with the pair as Thanos external labels
 * ({@code cluster}, {@code environment}, {@code prometheus_replica}), as a sidecar would upload them. Series:
 * request counters with resets, a latency histogram both as a classic one ({@code _bucket}, {@code _sum}, {@code
 * _count}) and as a native one (schema 3), gauges (memory, temperature, goroutines) and {@code up}.
 * Deterministic for a given start time.
 */
public final class DemoDataSet {
  /** Scrape interval of the data set. */
  public static final long SCRAPE_INTERVAL_MILLIS = 15_000;
  /** Label that tells the two replicas of a cluster apart. */
  public static final String REPLICA_LABEL = "prometheus_replica";

  private static final String[][] CLUSTERS = {
      {"eu-west-1", "production"}, {"us-east-1", "production"}, {"ap-south-1", "staging"}};
  private static final String[] REPLICAS = {"prometheus-0", "prometheus-1"};
  private static final String[] HANDLERS = {"/api/v1/query", "/api/v1/query_range", "/api/v1/series"};
  private static final double[] BUCKETS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
  /** Schema of the native latency histogram: 8 buckets per power of two. */
  private static final int NATIVE_SCHEMA = 3;

  private final long startMillis;
  private final long hours;

  /**
   * @param startMillis time of the first scrape
   * @param hours how many hours of data
   */
  public DemoDataSet(long startMillis, long hours) {
    if (hours <= 0) {
      throw new IllegalArgumentException("hours must be positive: " + hours);
    }
    this.startMillis = startMillis;
    this.hours = hours;
  }

  /**
   * What the data set's metric families are, as a scrape target would describe them (type, help, unit), for {@code
   * /api/v1/metadata}: the classic histogram under its family name, as Prometheus reports it.
   */
  public static MetricMetadataSource metadata() {
    MetricMetadataSet.Builder b = MetricMetadataSet.builder(-1);
    b.add("up", List.of(new MetricMetadata("gauge", "Whether the target was reachable at the last scrape.", "")));
    b.add("http_requests_total", List.of(new MetricMetadata("counter", "HTTP requests served, by handler and code.",
        "")));
    b.add("http_request_duration_seconds", List.of(new MetricMetadata("histogram",
        "HTTP request latency (classic buckets).", "seconds")));
    b.add("http_request_duration_native_seconds", List.of(new MetricMetadata("histogram",
        "HTTP request latency (native histogram, schema " + NATIVE_SCHEMA + ").", "seconds")));
    b.add("process_cpu_seconds_total", List.of(new MetricMetadata("counter", "CPU time used by the process.",
        "seconds")));
    b.add("go_goroutines", List.of(new MetricMetadata("gauge", "Goroutines that currently exist.", "")));
    b.add("node_memory_used_bytes", List.of(new MetricMetadata("gauge", "Memory in use.", "bytes")));
    b.add("node_cpu_temperature_celsius", List.of(new MetricMetadata("gauge", "CPU temperature.", "celsius")));
    MetricMetadataSet all = b.build();
    return (metric, limit, options) -> {
      MetricMetadataSet.Builder out = MetricMetadataSet.builder(limit);
      all.byMetric().forEach((name, entries) -> {
        if (metric.isEmpty() || metric.equals(name)) {
          out.add(name, entries);
        }
      });
      return out.build();
    };
  }

  /** A data set ending at the last 15 s boundary before now. */
  public static DemoDataSet endingNow(long hours) {
    long end = System.currentTimeMillis() / SCRAPE_INTERVAL_MILLIS * SCRAPE_INTERVAL_MILLIS;
    return new DemoDataSet(end - hours * 3_600_000L, hours);
  }

  /** Writes every (cluster, replica) pair's blocks into {@code dir}; returns the metas of the new blocks. */
  public List<BlockMeta> writeTo(Path dir) throws IOException {
    List<BlockMeta> out = new ArrayList<>();
    for (int c = 0; c < CLUSTERS.length; c++) {
      for (int r = 0; r < REPLICAS.length; r++) {
        Map<String, String> external = Map.of("cluster", CLUSTERS[c][0], "environment", CLUSTERS[c][1],
            REPLICA_LABEL, REPLICAS[r]);
        PartitionedBlockWriter writer = PartitionedBlockWriter.builder(dir).externalLabels(external)
            .source("sidecar").build();
        writeCluster(writer, c, r);
        out.addAll(writer.commit());
      }
    }
    return out;
  }

  private void writeCluster(PartitionedBlockWriter w, int cluster, int replica) {
    long steps = hours * 3_600_000L / SCRAPE_INTERVAL_MILLIS;
    // The replicas scrape the same targets a few seconds apart, like a real HA pair.
    long offset = replica * 4_000L + cluster * 1_000L;
    int instances = cluster == 1 ? 3 : 2;
    for (int i = 0; i < instances; i++) {
      String instance = "api-" + i + ":8080";
      SplittableRandom rnd = new SplittableRandom(cluster * 1000L + i);
      double[] requests = new double[HANDLERS.length * 2];
      double[] bucketCounts = new double[HANDLERS.length * (BUCKETS.length + 1)];
      double[] latencySum = new double[HANDLERS.length];
      NativeLatency[] nativeLatency = new NativeLatency[HANDLERS.length];
      for (int h = 0; h < HANDLERS.length; h++) {
        nativeLatency[h] = new NativeLatency();
      }
      double cpu = 0;
      for (long s = 0; s < steps; s++) {
        long t = startMillis + s * SCRAPE_INTERVAL_MILLIS + offset + rnd.nextInt(25);
        boolean restart = s > 0 && s % 397 == (i * 131L) % 397;
        boolean down = s % 211 == (i * 53L + cluster) % 211;
        w.append(Labels.of("__name__", "up", "job", "api-server", "instance", instance), t, down ? 0 : 1);
        if (down) {
          continue;
        }
        if (restart) {
          java.util.Arrays.fill(requests, 0);
          java.util.Arrays.fill(bucketCounts, 0);
          java.util.Arrays.fill(latencySum, 0);
          for (NativeLatency n : nativeLatency) {
            n.reset();
          }
          cpu = 0;
        }
        double load = 1 + 0.5 * Math.sin((t / 3_600_000.0) * Math.PI / 2 + cluster);
        for (int h = 0; h < HANDLERS.length; h++) {
          for (int code = 0; code < 2; code++) {
            int k = h * 2 + code;
            requests[k] += code == 0 ? Math.round(load * (40 + rnd.nextInt(20))) : rnd.nextInt(3);
            w.append(Labels.of("__name__", "http_requests_total", "job", "api-server", "instance", instance,
                "handler", HANDLERS[h], "code", code == 0 ? "200" : "500"), t, requests[k]);
          }
          int n = (int) Math.round(load * 30);
          for (int q = 0; q < n; q++) {
            double latency = Math.exp(rnd.nextGaussian() * 0.9 - 3.2 + h * 0.4);
            latencySum[h] += latency;
            nativeLatency[h].observe(latency);
            for (int b = 0; b < BUCKETS.length; b++) {
              if (latency <= BUCKETS[b]) {
                bucketCounts[h * (BUCKETS.length + 1) + b]++;
              }
            }
            bucketCounts[h * (BUCKETS.length + 1) + BUCKETS.length]++;
          }
          for (int b = 0; b <= BUCKETS.length; b++) {
            String le = b == BUCKETS.length ? "+Inf" : dev.orrery.core.io.GoFloat.formatG(BUCKETS[b]);
            w.append(Labels.of("__name__", "http_request_duration_seconds_bucket", "job", "api-server",
                "instance", instance, "handler", HANDLERS[h], "le", le), t, bucketCounts[h * (BUCKETS.length + 1) + b]);
          }
          w.append(Labels.of("__name__", "http_request_duration_seconds_sum", "job", "api-server", "instance",
              instance, "handler", HANDLERS[h]), t, Math.round(latencySum[h] * 1000) / 1000.0);
          w.append(Labels.of("__name__", "http_request_duration_seconds_count", "job", "api-server", "instance",
              instance, "handler", HANDLERS[h]), t, bucketCounts[h * (BUCKETS.length + 1) + BUCKETS.length]);
          w.append(Labels.of("__name__", "http_request_duration_native_seconds", "job", "api-server", "instance",
              instance, "handler", HANDLERS[h]), t, nativeLatency[h].snapshot());
        }
        cpu += 0.2 * load + rnd.nextDouble() * 0.05;
        w.append(Labels.of("__name__", "process_cpu_seconds_total", "job", "api-server", "instance", instance), t,
            Math.round(cpu * 100) / 100.0);
        w.append(Labels.of("__name__", "go_goroutines", "job", "api-server", "instance", instance), t,
            80 + rnd.nextInt(40));
        w.append(Labels.of("__name__", "node_memory_used_bytes", "job", "api-server", "instance", instance), t,
            (double) (2_000_000_000L + (long) (load * 300_000_000L) + rnd.nextInt(1_000_000)));
        w.append(Labels.of("__name__", "node_cpu_temperature_celsius", "job", "api-server", "instance", instance),
            t, Math.round((45 + 10 * load + rnd.nextGaussian()) * 10) / 10.0);
      }
    }
  }

  /**
   * A cumulative native histogram of latencies at {@value #NATIVE_SCHEMA}: observation {@code v} counts in bucket
   * {@code ceil(log2(v) * 2^schema)}, whose upper bound is {@code 2^(index / 2^schema)}. The layout spans the
   * populated buckets, zeros in between.
   */
  private static final class NativeLatency {
    /** Bucket counts from index {@link #FIRST_INDEX}: latencies from about 1 µs to 1000 s. */
    private static final int FIRST_INDEX = -160;
    private final double[] counts = new double[240];
    private double count;
    private double sum;

    void observe(double v) {
      int index = (int) Math.ceil(Math.log(v) / Math.log(2) * (1 << NATIVE_SCHEMA));
      counts[Math.clamp(index - FIRST_INDEX, 0, counts.length - 1)]++;
      count++;
      sum += v;
    }

    void reset() {
      java.util.Arrays.fill(counts, 0);
      count = 0;
      sum = 0;
    }

    FloatHistogram snapshot() {
      int lo = 0;
      while (lo < counts.length && counts[lo] == 0) {
        lo++;
      }
      int hi = counts.length - 1;
      while (hi >= lo && counts[hi] == 0) {
        hi--;
      }
      Span[] spans = lo > hi ? new Span[0] : new Span[] {new Span(lo + FIRST_INDEX, hi - lo + 1)};
      double[] buckets = lo > hi ? new double[0] : java.util.Arrays.copyOfRange(counts, lo, hi + 1);
      return new FloatHistogram(CounterResetHint.UNKNOWN, NATIVE_SCHEMA, 0, 0, count,
          Math.round(sum * 1000) / 1000.0, spans, buckets, new Span[0], new double[0], new double[0]);
    }
  }
}
