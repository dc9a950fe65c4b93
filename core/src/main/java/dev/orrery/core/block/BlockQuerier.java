package dev.orrery.core.block;

import dev.orrery.core.index.ChunkMetas;
import dev.orrery.core.index.Intervals;
import dev.orrery.core.index.Postings;
import dev.orrery.core.labels.Labels;
import dev.orrery.core.labels.LabelsBuilder;
import dev.orrery.core.labels.Matcher;
import dev.orrery.core.storage.Querier;
import dev.orrery.core.storage.SelectHints;
import dev.orrery.core.storage.Series;
import dev.orrery.core.storage.SeriesSet;
import java.util.List;

/**
 * Selects series of one block over a time range: postings for the matchers, then each series' labels and chunk metas
 * from the index, keeping the chunks that overlap the range. Sample iterators decode chunks lazily, hide samples
 * outside the range and those deleted by tombstones. Series come in label order. Confined to one thread.
 */
final class BlockQuerier implements Querier {
  private final Block block;
  private final long minTime;
  private final long maxTime;
  private boolean closed;

  BlockQuerier(Block block, long minTime, long maxTime) {
    this.block = block;
    this.minTime = minTime;
    this.maxTime = maxTime;
  }

  @Override
  public SeriesSet select(boolean sorted, SelectHints hints, Matcher... matchers) {
    checkOpen();
    long mint = minTime;
    long maxt = maxTime;
    if (hints != null) {
      mint = Math.max(mint, hints.startMillis());
      maxt = Math.min(maxt, hints.endMillis());
    }
    BlockMeta meta = block.meta();
    if (mint >= meta.maxTimeMillis() || maxt < meta.minTimeMillis() || mint > maxt) {
      return SeriesSet.empty();
    }
    Postings postings = block.index().postingsForMatchers(matchers);
    return new BlockSeriesSet(postings, mint, maxt);
  }

  @Override
  public List<String> labelNames(Matcher... matchers) {
    checkOpen();
    return block.index().labelNames(matchers);
  }

  @Override
  public List<String> labelValues(String name, Matcher... matchers) {
    checkOpen();
    return block.index().labelValues(name, matchers);
  }

  @Override
  public void close() {
    closed = true;
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("querier is closed");
    }
  }

  /** Walks postings, reading each series entry; skips series without chunks in range. */
  private final class BlockSeriesSet implements SeriesSet {
    private final Postings postings;
    private final long mint;
    private final long maxt;
    private final LabelsBuilder builder = new LabelsBuilder();
    private final ChunkMetas metas = new ChunkMetas();
    private Series at;

    BlockSeriesSet(Postings postings, long mint, long maxt) {
      this.postings = postings;
      this.mint = mint;
      this.maxt = maxt;
    }

    @Override
    public boolean next() {
      while (postings.next()) {
        long ref = postings.at();
        block.index().series(ref, builder, metas);
        Labels labels = builder.build();
        ChunkMetas kept = new ChunkMetas(metas.size());
        for (int i = 0; i < metas.size(); i++) {
          if (metas.maxTime(i) >= mint && metas.minTime(i) <= maxt) {
            kept.add(metas.minTime(i), metas.maxTime(i), metas.ref(i));
          }
        }
        if (kept.isEmpty()) {
          continue;
        }
        Intervals deleted = block.tombstones().get(ref);
        if (deleted.covers(kept.minTime(0), kept.maxTime(kept.size() - 1))) {
          continue;
        }
        at = new BlockSeries(labels, kept, deleted);
        return true;
      }
      return false;
    }

    @Override
    public Series at() {
      return at;
    }

    private final class BlockSeries implements Series {
      private final Labels labels;
      private final ChunkMetas chunks;
      private final Intervals deleted;

      BlockSeries(Labels labels, ChunkMetas chunks, Intervals deleted) {
        this.labels = labels;
        this.chunks = chunks;
        this.deleted = deleted;
      }

      @Override
      public Labels labels() {
        return labels;
      }

      @Override
      public dev.orrery.core.chunk.SampleIterator iterator(dev.orrery.core.chunk.SampleIterator reuse) {
        if (reuse instanceof BlockSeriesIterator it) {
          it.reset(block.chunks(), chunks, mint, maxt, deleted);
          return it;
        }
        return new BlockSeriesIterator(block.chunks(), chunks, mint, maxt, deleted);
      }
    }
  }
}
