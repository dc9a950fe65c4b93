package dev.orrery.storeapi.gateway;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import dev.orrery.core.OrreryException;
import dev.orrery.core.OrreryException.ErrorCode;
import dev.orrery.core.chunk.AggrChunkSlots;
import dev.orrery.core.chunk.Chunk;
import dev.orrery.core.chunk.ChunkEncoding;
import dev.orrery.core.chunk.SampleIterator;
import dev.orrery.core.chunk.ValueType;
import dev.orrery.core.chunk.XorAppender;
import dev.orrery.core.index.IndexReader;
import dev.orrery.core.index.Postings;
import dev.orrery.core.labels.Labels;
import dev.orrery.core.labels.LabelsBuilder;
import dev.orrery.core.labels.Matcher;
import dev.orrery.storeapi.EncodedSeriesFrame;
import dev.orrery.storeapi.SeriesSink;
import dev.orrery.storeapi.proto.hints.Block;
import dev.orrery.storeapi.proto.hints.SeriesResponseHints;
import dev.orrery.storeapi.proto.thanos.Aggr;
import dev.orrery.storeapi.proto.thanos.AggrChunk;
import dev.orrery.storeapi.proto.thanos.SeriesRequest;
import dev.orrery.storeapi.proto.thanos.SeriesResponse;
import dev.orrery.storeapi.proto.thanos.ShardInfo;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
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
  /** A batched frame is sent once it holds this many bytes, whatever its series count. */
  private static final int MAX_FRAME_BYTES = 1 << 20;

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
  private long resultSeries;
  private final AtomicLong chunkCount = new AtomicLong();
  private final int batchSize;
  private final SeriesFrameEncoder encoder;
  private final ReadBuffers readBuffers = new ReadBuffers();

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
    this.batchSize = (int) Math.max(1, Math.min(request.getResponseBatchSize(), 1 << 16));
    this.encoder = new SeriesFrameEncoder(batchSize > 1);
  }

  /** Series the request returned: after merging the blocks' series of the same labels, within its limit. */
  long resultSeries() {
    return resultSeries;
  }

  /** What the request touched and fetched so far. */
  RequestStats stats() {
    return stats;
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
      SeriesEntryReader entries = new SeriesEntryReader(reader, block.source(), block.indexToc());
      Labels ext = block.externalLabels();
      ShardInfo shard = request.hasShardInfo() && request.getShardInfo().getTotalShards() > 0
          ? request.getShardInfo() : null;
      for (int i = 0; i < n; i++) {
        entries.read(refs[i] / 16, builder);
        int added = 0;
        for (int c = 0; c < entries.chunks; c++) {
          if (entries.chunkMin[c] <= maxTime && entries.chunkMax[c] >= minTime) {
            out.addChunk(entries.chunkMin[c], entries.chunkMax[c], entries.chunkRef[c]);
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
          throw new LimitExceededException("series", limits.maxSeries(), s, "");
        }
        long c = chunkCount.addAndGet(added);
        if (limits.maxChunks() > 0 && c > limits.maxChunks()) {
          throw new LimitExceededException("chunks", limits.maxChunks(), c, "");
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
        (a, b) -> LabelOrder.compare(a.labels(), b.labels()));
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
    resultSeries = sent;
    EncodedSeriesFrame last = encoder.finishFrame();
    if (last != null) {
      sink.send(last);
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
    for (Out o : batch) {
      encoder.beginSeries(o.labels);
      if (!skipChunks) {
        if (o.sets.size() == 1) {
          BlockSeries set = o.sets.get(0);
          int idx = o.idx.get(0);
          ChunkData cd = data.get(set);
          for (int c = set.chunkFrom[idx]; c < set.chunkFrom[idx + 1]; c++) {
            addChunk(set, c, cd.bytes, cd.slot(c));
          }
        } else {
          addMergedChunks(o, data);
        }
      }
      encoder.endSeries();
      if (encoder.seriesInFrame() >= batchSize || encoder.frameBytes() >= MAX_FRAME_BYTES) {
        sink.send(encoder.finishFrame());
      }
    }
    // Every chunk of the batch is in a frame now (frames copy the bytes): the read buffers can be reused.
    readBuffers.releaseAll();
  }

  // Chunks of one label set from several blocks, in time order.
  private void addMergedChunks(Out o, Map<BlockSeries, ChunkData> data) {
    int n = 0;
    for (int i = 0; i < o.sets.size(); i++) {
      BlockSeries set = o.sets.get(i);
      int idx = o.idx.get(i);
      n += set.chunkFrom[idx + 1] - set.chunkFrom[idx];
    }
    long[][] keys = new long[n][];
    int k = 0;
    for (int i = 0; i < o.sets.size(); i++) {
      BlockSeries set = o.sets.get(i);
      int idx = o.idx.get(i);
      for (int c = set.chunkFrom[idx]; c < set.chunkFrom[idx + 1]; c++) {
        keys[k++] = new long[] {set.minTime[c], set.maxTime[c], i, c};
      }
    }
    Arrays.sort(keys, (a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
    for (long[] key : keys) {
      BlockSeries set = o.sets.get((int) key[2]);
      int c = (int) key[3];
      ChunkData cd = data.get(set);
      addChunk(set, c, cd.bytes, cd.slot(c));
    }
  }

  private void addChunk(BlockSeries set, int c, BucketBlock.ChunkBytes bytes, int slot) {
    int enc = bytes.encodings[slot];
    if (enc >= 1 && enc <= 3) {
      // 8.4: file encodings 1, 2, 3 are wire types 0, 1, 2; the bytes pass through.
      encoder.addRawChunk(set.minTime[c], set.maxTime[c], enc - 1, bytes.buffers[slot], bytes.offsets[slot],
          bytes.lengths[slot]);
    } else {
      encoder.addChunk(aggrChunk(set, c, bytes, slot));
    }
  }

  /** The chunk bytes of one block's series in a batch, by position in its {@link BlockSeries} arrays. */
  private static final class ChunkData {
    int firstPosition;
    /** For chunk position {@code p}, its slot in {@link #bytes} is {@code slotOfPosition[p - firstPosition]}. */
    int[] slotOfPosition;
    BucketBlock.ChunkBytes bytes;

    int slot(int position) {
      return slotOfPosition[position - firstPosition];
    }
  }

  private Map<BlockSeries, ChunkData> readChunks(List<Out> batch) {
    // Per block: the range of chunk positions the batch touches (series of one block arrive in position order).
    Map<BlockSeries, int[]> ranges = new IdentityHashMap<>();
    for (Out o : batch) {
      for (int i = 0; i < o.sets.size(); i++) {
        BlockSeries set = o.sets.get(i);
        int s = o.idx.get(i);
        int[] r = ranges.computeIfAbsent(set, k -> new int[] {Integer.MAX_VALUE, Integer.MIN_VALUE, 0});
        r[0] = Math.min(r[0], set.chunkFrom[s]);
        r[1] = Math.max(r[1], set.chunkFrom[s + 1]);
      }
    }
    Map<BlockSeries, ChunkData> out = new IdentityHashMap<>();
    for (Out o : batch) {
      for (int i = 0; i < o.sets.size(); i++) {
        BlockSeries set = o.sets.get(i);
        if (out.containsKey(set)) {
          continue;
        }
        int[] r = ranges.get(set);
        ChunkData cd = new ChunkData();
        cd.firstPosition = r[0];
        cd.slotOfPosition = new int[r[1] - r[0]];
        java.util.Arrays.fill(cd.slotOfPosition, -1);
        out.put(set, cd);
      }
    }
    // Mark the positions in use, then read them in reference order.
    for (Out o : batch) {
      for (int i = 0; i < o.sets.size(); i++) {
        BlockSeries set = o.sets.get(i);
        int s = o.idx.get(i);
        ChunkData cd = out.get(set);
        for (int c = set.chunkFrom[s]; c < set.chunkFrom[s + 1]; c++) {
          cd.slotOfPosition[c - cd.firstPosition] = 0;
        }
      }
    }
    for (Map.Entry<BlockSeries, ChunkData> e : out.entrySet()) {
      BlockSeries set = e.getKey();
      ChunkData cd = e.getValue();
      int n = 0;
      for (int v : cd.slotOfPosition) {
        n += v == 0 ? 1 : 0;
      }
      int[] pos = new int[n];
      int k = 0;
      boolean sorted = true;
      for (int p = 0; p < cd.slotOfPosition.length; p++) {
        if (cd.slotOfPosition[p] == 0) {
          int position = p + cd.firstPosition;
          if (k > 0 && Long.compareUnsigned(set.ref[pos[k - 1]], set.ref[position]) > 0) {
            sorted = false;
          }
          pos[k++] = position;
        }
      }
      if (!sorted) {
        // Rare (a block whose chunk references are not in series order): sort positions by reference.
        Integer[] boxed = new Integer[n];
        for (int i = 0; i < n; i++) {
          boxed[i] = pos[i];
        }
        java.util.Arrays.sort(boxed, (a, b) -> Long.compareUnsigned(set.ref[a], set.ref[b]));
        for (int i = 0; i < n; i++) {
          pos[i] = boxed[i];
        }
      }
      long[] refs = new long[n];
      int m = 0;
      for (int i = 0; i < n; i++) {
        long ref = set.ref[pos[i]];
        if (m == 0 || refs[m - 1] != ref) {
          refs[m++] = ref;
        }
        cd.slotOfPosition[pos[i] - cd.firstPosition] = m - 1;
      }
      cd.bytes = new BucketBlock.ChunkBytes(m);
      set.block.readChunks(refs, m, cd.bytes, readBuffers, stats);
    }
    return out;
  }

  private AggrChunk aggrChunk(BlockSeries set, int c, BucketBlock.ChunkBytes bytes, int slot) {
    AggrChunk.Builder a = AggrChunk.newBuilder().setMinTime(set.minTime[c]).setMaxTime(set.maxTime[c]);
    int enc = bytes.encodings[slot];
    if (enc != ChunkEncoding.AGGR.code()) {
      return a.setRaw(wireChunk(enc, bytes.buffers[slot], bytes.offsets[slot], bytes.lengths[slot], set)).build();
    }
    ByteBuffer data = ByteBuffer.wrap(bytes.buffers[slot], bytes.offsets[slot], bytes.lengths[slot]).slice();
    ByteBuffer[] slots = new ByteBuffer[5];
    int[] encs = new int[5];
    String resource = set.block.id() + "/chunks";
    AggrChunkSlots.split(data, slots, encs, resource);
    List<Aggr> wanted = request.getAggregatesList();
    if (wanted.isEmpty() || isHistogramWithoutAny(slots, encs, wanted)) {
      // A histogram aggregate has no min and max: those who ask for them get the average, as PromQL reads raw
      // histograms where min and max functions see none.
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
      ByteBuffer sub = slots[k];
      dev.orrery.storeapi.proto.thanos.Chunk ch = wireChunk(encs[k], sub.array(), sub.arrayOffset()
          + sub.position(), sub.remaining(), set);
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

  /** Whether the chunk is of a histogram series (7.1: its counter slot is a histogram chunk) and lacks a wanted slot. */
  private static boolean isHistogramWithoutAny(ByteBuffer[] slots, int[] encs, List<Aggr> wanted) {
    ByteBuffer counter = slots[AggrChunkSlots.COUNTER];
    int enc = encs[AggrChunkSlots.COUNTER];
    if (counter == null || (enc != ChunkEncoding.HISTOGRAM.code() && enc != ChunkEncoding.FLOAT_HISTOGRAM.code())) {
      return false;
    }
    for (Aggr aggr : wanted) {
      if ((aggr == Aggr.MIN || aggr == Aggr.MAX) && slots[aggr == Aggr.MIN ? AggrChunkSlots.MIN
          : AggrChunkSlots.MAX] == null) {
        return true;
      }
    }
    return false;
  }

  // 8.4: file encodings 1, 2, 3 map to wire types 0, 1, 2; XOR2 is re-encoded as XOR.
  private static dev.orrery.storeapi.proto.thanos.Chunk wireChunk(int enc, byte[] buf, int off, int len,
      BlockSeries set) {
    dev.orrery.storeapi.proto.thanos.Chunk.Encoding type;
    ByteString bytes;
    switch (enc) {
      case 1 -> {
        type = dev.orrery.storeapi.proto.thanos.Chunk.Encoding.XOR;
        bytes = UnsafeByteOperations.unsafeWrap(buf, off, len);
      }
      case 2 -> {
        type = dev.orrery.storeapi.proto.thanos.Chunk.Encoding.HISTOGRAM;
        bytes = UnsafeByteOperations.unsafeWrap(buf, off, len);
      }
      case 3 -> {
        type = dev.orrery.storeapi.proto.thanos.Chunk.Encoding.FLOAT_HISTOGRAM;
        bytes = UnsafeByteOperations.unsafeWrap(buf, off, len);
      }
      case 4 -> {
        type = dev.orrery.storeapi.proto.thanos.Chunk.Encoding.XOR;
        bytes = ByteString.copyFrom(reencodeXor2(ByteBuffer.wrap(buf, off, len).slice(), set));
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
