package dev.orrery.storeapi.gateway;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import dev.orrery.core.OrreryException;
import dev.orrery.core.OrreryException.ErrorCode;
import dev.orrery.core.chunk.Chunk;
import dev.orrery.core.chunk.ChunkEncoding;
import dev.orrery.core.chunk.SampleIterator;
import dev.orrery.core.chunk.ValueType;
import dev.orrery.core.chunk.XorAppender;
import dev.orrery.core.index.ChunkMetas;
import dev.orrery.core.index.IndexReader;
import dev.orrery.core.index.Postings;
import dev.orrery.core.labels.Labels;
import dev.orrery.core.labels.LabelsBuilder;
import dev.orrery.core.labels.Matcher;
import dev.orrery.storeapi.SeriesSink;
import dev.orrery.storeapi.proto.hints.Block;
import dev.orrery.storeapi.proto.hints.SeriesResponseHints;
import dev.orrery.storeapi.proto.thanos.Aggr;
import dev.orrery.storeapi.proto.thanos.AggrChunk;
import dev.orrery.storeapi.proto.thanos.Label;
import dev.orrery.storeapi.proto.thanos.Series;
import dev.orrery.storeapi.proto.thanos.SeriesBatch;
import dev.orrery.storeapi.proto.thanos.SeriesRequest;
import dev.orrery.storeapi.proto.thanos.SeriesResponse;
import dev.orrery.storeapi.proto.thanos.ShardInfo;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * One {@code Series} request against a set of blocks (FORMATS.md 8.4): selection per block, then a k-way merge in
 * label order streamed in batches. Confined to the request's thread, except phase one, which runs one task per block.
 */
final class SeriesRequestRun {
  /** Output series per batch before its chunks are read. */
  private static final int BATCH_SERIES = 1024;
  /** Chunks per batch before its chunks are read. */
  private static final int BATCH_CHUNKS = 8192;

  private final SeriesRequest request;
  private final Matcher[] matchers;
  private final List<BucketBlock> blocks;
  private final StoreLimits limits;
  private final Executor executor;
  private final long minTime;
  private final long maxTime;
  private final String[] withoutReplica;
  private final RequestStats stats;
  private final AtomicLong seriesCount = new AtomicLong();
  private final AtomicLong chunkCount = new AtomicLong();
  private final Map<String, Label> labelProtos = new HashMap<>();

  SeriesRequestRun(SeriesRequest request, Matcher[] matchers, List<BucketBlock> blocks, StoreLimits limits,
      Executor executor) {
    this.request = request;
    this.matchers = matchers;
    this.blocks = blocks;
    this.limits = limits;
    this.executor = executor;
    this.minTime = request.getMinTime();
    this.maxTime = request.getMaxTime();
    this.withoutReplica = request.getWithoutReplicaLabelsList().toArray(new String[0]);
    this.stats = new RequestStats(limits.maxBytes());
  }

  /**
   * The matchers to evaluate on the block's own series: those on external-label names are checked against the
   * block's value and dropped (8.4); {@code null} when one of them fails, so the block contributes nothing.
   */
  static Matcher[] localMatchers(Labels external, Matcher[] matchers) {
    List<Matcher> local = new ArrayList<>(matchers.length);
    for (Matcher m : matchers) {
      if (external.has(m.name())) {
        if (!m.matches(external.get(m.name()))) {
          return null;
        }
      } else {
        local.add(m);
      }
    }
    return local.toArray(new Matcher[0]);
  }

  void run(SeriesSink sink) {
    List<Supplier<BlockSeries>> tasks = new ArrayList<>(blocks.size());
    for (BucketBlock b : blocks) {
      tasks.add(() -> select(b));
    }
    List<BlockSeries> selected = BucketStore.runAll(executor, tasks);
    stream(selected, sink);
    SeriesResponseHints.Builder hints = SeriesResponseHints.newBuilder();
    for (BlockSeries s : selected) {
      if (s.queried) {
        hints.addQueriedBlocks(Block.newBuilder().setId(s.block.id().toString()));
      }
    }
    sink.send(SeriesResponse.newBuilder().setHints(Any.pack(hints.build())).build());
  }

  // ---- phase one -----------------------------------------------------------------------------------------------

  private BlockSeries select(BucketBlock block) {
    BlockSeries out = new BlockSeries(block);
    Matcher[] local = localMatchers(block.externalLabels(), matchers);
    if (local == null) {
      return out;
    }
    out.queried = true;
    IndexReader reader;
    try {
      reader = block.acquire();
    } catch (IOException e) {
      throw new OrreryException(ErrorCode.STORAGE, "loading block " + block.id() + ": " + e.getMessage(), e);
    }
    try (RequestStats.Scope scope = stats.bind()) {
      Postings p = local.length == 0 ? reader.allPostings() : reader.postingsForMatchers(local);
      long[] refs = new long[64];
      int n = 0;
      while (p.next()) {
        if (n == refs.length) {
          refs = Arrays.copyOf(refs, n * 2);
        }
        refs[n++] = p.at() * 16;
      }
      block.source().prefetch(IndexCache.Area.SERIES, refs, n, block.seriesSizeEstimate());
      LabelsBuilder builder = new LabelsBuilder();
      ChunkMetas metas = new ChunkMetas();
      Labels ext = block.externalLabels();
      ShardInfo shard = request.hasShardInfo() && request.getShardInfo().getTotalShards() > 0
          ? request.getShardInfo() : null;
      for (int i = 0; i < n; i++) {
        reader.series(refs[i] / 16, builder, metas);
        int added = 0;
        for (int c = 0; c < metas.size(); c++) {
          if (metas.minTime(c) <= maxTime && metas.maxTime(c) >= minTime) {
            out.addChunk(metas.minTime(c), metas.maxTime(c), metas.ref(c));
            added++;
          }
        }
        if (added == 0) {
          continue;
        }
        for (int k = 0; k < ext.size(); k++) {
          builder.set(ext.name(k), ext.value(k));
        }
        if (withoutReplica.length > 0) {
          builder.delete(withoutReplica);
        }
        Labels l = builder.build();
        if (shard != null && !inShard(l, shard)) {
          out.abandonSeries();
          continue;
        }
        long s = seriesCount.incrementAndGet();
        if (limits.maxSeries() > 0 && s > limits.maxSeries()) {
          throw new OrreryException(ErrorCode.LIMIT_EXCEEDED, "exceeded series limit: limit " + limits.maxSeries()
              + " violated (got " + s + ")");
        }
        long c = chunkCount.addAndGet(added);
        if (limits.maxChunks() > 0 && c > limits.maxChunks()) {
          throw new OrreryException(ErrorCode.LIMIT_EXCEEDED, "exceeded chunks limit: limit " + limits.maxChunks()
              + " violated (got " + c + ")");
        }
        out.endSeries(l);
      }
    } catch (IOException e) {
      throw new OrreryException(ErrorCode.STORAGE, "reading block " + block.id() + ": " + e.getMessage(), e);
    } finally {
      block.release();
    }
    out.sortIfNeeded();
    return out;
  }

  // 8.4: xxHash64 of the labels in (by) or not in (without) the shard labels, modulo the shard count.
  private static boolean inShard(Labels l, ShardInfo shard) {
    String[] names = shard.getLabelsList().toArray(new String[0]);
    LabelsBuilder b = l.toBuilder();
    if (shard.getBy()) {
      b.keep(names);
    } else {
      b.delete(names);
    }
    long h = b.build().hash();
    return Long.remainderUnsigned(h, shard.getTotalShards()) == shard.getShardIndex();
  }

  // ---- phase two -----------------------------------------------------------------------------------------------

  private static final class Cursor {
    final BlockSeries set;
    int at;

    Cursor(BlockSeries set) {
      this.set = set;
    }

    Labels labels() {
      return set.labels[at];
    }
  }

  /** One output series: its labels and the (block series, index) parts that carry its chunks. */
  private static final class Out {
    Labels labels;
    final List<BlockSeries> sets = new ArrayList<>(2);
    final List<Integer> idx = new ArrayList<>(2);
  }

  private void stream(List<BlockSeries> selected, SeriesSink sink) {
    PriorityQueue<Cursor> heap = new PriorityQueue<>(Math.max(1, selected.size()),
        (a, b) -> a.labels().compareTo(b.labels()));
    for (BlockSeries s : selected) {
      if (s.size > 0) {
        heap.add(new Cursor(s));
      }
    }
    long limit = request.getLimit() > 0 ? request.getLimit() : Long.MAX_VALUE;
    long sent = 0;
    List<Out> batch = new ArrayList<>(BATCH_SERIES);
    int batchChunks = 0;
    while (!heap.isEmpty() && sent < limit) {
      Cursor c = heap.poll();
      Out o = new Out();
      o.labels = c.labels();
      o.sets.add(c.set);
      o.idx.add(c.at);
      batchChunks += c.set.chunkFrom[c.at + 1] - c.set.chunkFrom[c.at];
      advance(heap, c);
      while (!heap.isEmpty() && heap.peek().labels().equals(o.labels)) {
        Cursor d = heap.poll();
        o.sets.add(d.set);
        o.idx.add(d.at);
        batchChunks += d.set.chunkFrom[d.at + 1] - d.set.chunkFrom[d.at];
        advance(heap, d);
      }
      batch.add(o);
      sent++;
      if (batch.size() >= BATCH_SERIES || batchChunks >= BATCH_CHUNKS) {
        flush(batch, sink);
        batch.clear();
        batchChunks = 0;
      }
    }
    if (!batch.isEmpty()) {
      flush(batch, sink);
    }
  }

  private static void advance(PriorityQueue<Cursor> heap, Cursor c) {
    c.at++;
    if (c.at < c.set.size) {
      heap.add(c);
    }
  }

  private void flush(List<Out> batch, SeriesSink sink) {
    boolean skipChunks = request.getSkipChunks();
    Map<BlockSeries, ChunkData> data = skipChunks ? Map.of() : readChunks(batch);
    int batchSize = (int) Math.max(1, request.getResponseBatchSize());
    SeriesBatch.Builder sb = batchSize > 1 ? SeriesBatch.newBuilder() : null;
    for (Out o : batch) {
      Series.Builder s = Series.newBuilder();
      for (int i = 0; i < o.labels.size(); i++) {
        s.addLabels(labelProto(o.labels.name(i), o.labels.value(i)));
      }
      if (!skipChunks) {
        if (o.sets.size() == 1) {
          addChunks(s, o.sets.get(0), o.idx.get(0), data.get(o.sets.get(0)));
        } else {
          addMergedChunks(s, o, data);
        }
      }
      if (sb == null) {
        sink.send(SeriesResponse.newBuilder().setSeries(s).build());
      } else {
        sb.addSeries(s);
        if (sb.getSeriesCount() >= batchSize) {
          sink.send(SeriesResponse.newBuilder().setBatch(sb).build());
          sb = SeriesBatch.newBuilder();
        }
      }
    }
    if (sb != null && sb.getSeriesCount() > 0) {
      sink.send(SeriesResponse.newBuilder().setBatch(sb).build());
    }
  }

  private Label labelProto(String name, String value) {
    // Label sets repeat heavily across series; a small per-request table avoids rebuilding the same messages.
    String key = name + '\u0000' + value;
    Label l = labelProtos.get(key);
    if (l == null) {
      l = Label.newBuilder().setName(name).setValue(value).build();
      if (labelProtos.size() < 65536) {
        labelProtos.put(key, l);
      }
    }
    return l;
  }

  /** The chunk bytes of one block's series in a batch, by position in its {@link BlockSeries} arrays. */
  private static final class ChunkData {
    final Map<Integer, Integer> slotOfPosition = new HashMap<>();
    ByteBuffer[] data;
    int[] enc;
  }

  private Map<BlockSeries, ChunkData> readChunks(List<Out> batch) {
    Map<BlockSeries, List<Integer>> positions = new IdentityHashMap<>();
    for (Out o : batch) {
      for (int i = 0; i < o.sets.size(); i++) {
        BlockSeries set = o.sets.get(i);
        int s = o.idx.get(i);
        List<Integer> l = positions.computeIfAbsent(set, k -> new ArrayList<>());
        for (int c = set.chunkFrom[s]; c < set.chunkFrom[s + 1]; c++) {
          l.add(c);
        }
      }
    }
    Map<BlockSeries, ChunkData> out = new IdentityHashMap<>();
    for (Map.Entry<BlockSeries, List<Integer>> e : positions.entrySet()) {
      BlockSeries set = e.getKey();
      List<Integer> pos = e.getValue();
      pos.sort((a, b) -> Long.compareUnsigned(set.ref[a], set.ref[b]));
      int n = pos.size();
      long[] refs = new long[n];
      ChunkData cd = new ChunkData();
      int m = 0;
      for (int i = 0; i < n; i++) {
        long r = set.ref[pos.get(i)];
        if (m == 0 || refs[m - 1] != r) {
          refs[m++] = r;
        }
        cd.slotOfPosition.put(pos.get(i), m - 1);
      }
      cd.data = new ByteBuffer[m];
      cd.enc = new int[m];
      set.block.readChunks(refs, m, cd.data, cd.enc, stats);
      out.put(set, cd);
    }
    return out;
  }

  private void addChunks(Series.Builder s, BlockSeries set, int idx, ChunkData cd) {
    for (int c = set.chunkFrom[idx]; c < set.chunkFrom[idx + 1]; c++) {
      int slot = cd.slotOfPosition.get(c);
      s.addChunks(aggrChunk(set, c, cd.enc[slot], cd.data[slot]));
    }
  }

  private void addMergedChunks(Series.Builder s, Out o, Map<BlockSeries, ChunkData> data) {
    List<AggrChunk> all = new ArrayList<>();
    for (int i = 0; i < o.sets.size(); i++) {
      BlockSeries set = o.sets.get(i);
      int idx = o.idx.get(i);
      ChunkData cd = data.get(set);
      for (int c = set.chunkFrom[idx]; c < set.chunkFrom[idx + 1]; c++) {
        int slot = cd.slotOfPosition.get(c);
        all.add(aggrChunk(set, c, cd.enc[slot], cd.data[slot]));
      }
    }
    all.sort((a, b) -> a.getMinTime() != b.getMinTime() ? Long.compare(a.getMinTime(), b.getMinTime())
        : Long.compare(a.getMaxTime(), b.getMaxTime()));
    s.addAllChunks(all);
  }

  private AggrChunk aggrChunk(BlockSeries set, int c, int enc, ByteBuffer data) {
    AggrChunk.Builder a = AggrChunk.newBuilder().setMinTime(set.minTime[c]).setMaxTime(set.maxTime[c]);
    if (enc == ChunkEncoding.AGGR.code()) {
      ByteBuffer[] slots = new ByteBuffer[5];
      int[] encs = new int[5];
      String resource = set.block.id() + "/chunks";
      AggrChunkSlots.split(data, slots, encs, resource);
      List<Aggr> wanted = request.getAggregatesList();
      if (wanted.isEmpty()) {
        wanted = List.of(Aggr.COUNT, Aggr.SUM);
      }
      for (Aggr aggr : wanted) {
        int k = switch (aggr) {
          case COUNT -> AggrChunkSlots.COUNT;
          case SUM -> AggrChunkSlots.SUM;
          case MIN -> AggrChunkSlots.MIN;
          case MAX -> AggrChunkSlots.MAX;
          case COUNTER -> AggrChunkSlots.COUNTER;
          case RAW, UNRECOGNIZED -> throw new OrreryException(ErrorCode.BAD_QUERY, "aggregate " + aggr
              + " cannot be read from downsampled block " + set.block.id());
        };
        if (slots[k] == null) {
          throw new OrreryException(ErrorCode.CORRUPT_DATA, "aggregate " + aggr + " missing in a chunk of block "
              + set.block.id());
        }
        dev.orrery.storeapi.proto.thanos.Chunk ch = wireChunk(encs[k], slots[k], set);
        switch (aggr) {
          case COUNT -> a.setCount(ch);
          case SUM -> a.setSum(ch);
          case MIN -> a.setMin(ch);
          case MAX -> a.setMax(ch);
          case COUNTER -> a.setCounter(ch);
          case RAW, UNRECOGNIZED -> throw new IllegalStateException("unreachable");
        }
      }
      return a.build();
    }
    return a.setRaw(wireChunk(enc, data, set)).build();
  }

  // 8.4: file encodings 1, 2, 3 map to wire types 0, 1, 2; XOR2 is re-encoded as XOR.
  private static dev.orrery.storeapi.proto.thanos.Chunk wireChunk(int enc, ByteBuffer data, BlockSeries set) {
    dev.orrery.storeapi.proto.thanos.Chunk.Encoding type;
    ByteString bytes;
    switch (enc) {
      case 1 -> {
        type = dev.orrery.storeapi.proto.thanos.Chunk.Encoding.XOR;
        bytes = UnsafeByteOperations.unsafeWrap(data);
      }
      case 2 -> {
        type = dev.orrery.storeapi.proto.thanos.Chunk.Encoding.HISTOGRAM;
        bytes = UnsafeByteOperations.unsafeWrap(data);
      }
      case 3 -> {
        type = dev.orrery.storeapi.proto.thanos.Chunk.Encoding.FLOAT_HISTOGRAM;
        bytes = UnsafeByteOperations.unsafeWrap(data);
      }
      case 4 -> {
        type = dev.orrery.storeapi.proto.thanos.Chunk.Encoding.XOR;
        bytes = ByteString.copyFrom(reencodeXor2(data, set));
      }
      default -> throw new OrreryException(ErrorCode.UNSUPPORTED, "chunk encoding " + enc + " of block "
          + set.block.id() + " cannot be sent over the StoreAPI (only XOR, histogram, float histogram and XOR2)");
    }
    return dev.orrery.storeapi.proto.thanos.Chunk.newBuilder().setType(type).setData(bytes).build();
  }

  private static byte[] reencodeXor2(ByteBuffer data, BlockSeries set) {
    Chunk c = Chunk.of(ChunkEncoding.XOR2, data, set.block.id() + "/chunks", -1);
    SampleIterator it = c.iterator(null);
    XorAppender app = new XorAppender();
    while (it.next() == ValueType.FLOAT) {
      app.appendBits(it.atT(), Double.doubleToRawLongBits(it.atV()));
    }
    return app.bytes();
  }
}
