package dev.orrery.examples.cli;

import dev.orrery.core.block.BlockMeta;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The table of {@code orrery tools bucket inspect}: one row per block with the columns of Thanos' {@code tools bucket
 * inspect}, sorted by any of them. Times are UTC; counts have thousands separators.
 */
final class BucketTable {
  /** Thanos' compactor downsamples a raw block to 5m once it spans 40h ({@code ResLevel1DownsampleRange}). */
  static final long RAW_DOWNSAMPLE_RANGE_MILLIS = 40 * 3_600_000L;
  /** ... and a 5m block to 1h once it spans 10 days ({@code ResLevel2DownsampleRange}). */
  static final long FIVE_MINUTE_DOWNSAMPLE_RANGE_MILLIS = 240 * 3_600_000L;
  private static final long FIVE_MINUTES_MILLIS = 300_000;
  /** {@link #untilDownsamplingMillis} of a block at the coarsest resolution. */
  static final long NEVER = Long.MAX_VALUE;

  /** The columns, in Thanos' order; each knows its header, its cell and how to sort by it. */
  enum Column {
    ULID("ULID", m -> m.ulid().toString(), Comparator.comparing(BlockMeta::ulid)),
    FROM("FROM", m -> BlockTable.time(m.minTimeMillis()), Comparator.comparingLong(BlockMeta::minTimeMillis)),
    UNTIL("UNTIL", m -> BlockTable.time(m.maxTimeMillis()), Comparator.comparingLong(BlockMeta::maxTimeMillis)),
    RANGE("RANGE", m -> BlockTable.duration(range(m)), Comparator.comparingLong(BucketTable::range)),
    UNTIL_DOWN("UNTIL-DOWN", BucketTable::untilDownsampling,
        Comparator.comparingLong(BucketTable::untilDownsamplingMillis)),
    SERIES("#SERIES", m -> count(m.stats().numSeries()), Comparator.comparingLong(m -> m.stats().numSeries())),
    SAMPLES("#SAMPLES", m -> count(m.stats().numSamples()), Comparator.comparingLong(m -> m.stats().numSamples())),
    CHUNKS("#CHUNKS", m -> count(m.stats().numChunks()), Comparator.comparingLong(m -> m.stats().numChunks())),
    COMP_LEVEL("COMP-LEVEL", m -> count(m.compaction().level()),
        Comparator.comparingInt(m -> m.compaction().level())),
    COMP_FAILED("COMP-FAILED", m -> Boolean.toString(m.compaction().failed()),
        Comparator.comparing(m -> m.compaction().failed())),
    LABELS("LABELS", BlockTable::labels, Comparator.comparing(BlockTable::labels)),
    RESOLUTION("RESOLUTION", m -> BlockTable.duration(resolution(m)),
        Comparator.comparingLong(BucketTable::resolution)),
    SOURCE("SOURCE", BucketTable::source, Comparator.comparing(BucketTable::source));

    private final String header;
    private final Function<BlockMeta, String> cell;
    private final Comparator<BlockMeta> order;

    Column(String header, Function<BlockMeta, String> cell, Comparator<BlockMeta> order) {
      this.header = header;
      this.cell = cell;
      this.order = order;
    }

    /** The column's header, as Thanos writes it. */
    String header() {
      return header;
    }

    /**
     * Finds a column by its header ({@code #SERIES}, {@code UNTIL-DOWN}) or constant name, ignoring case.
     *
     * @throws IllegalArgumentException naming the known columns if there is none
     */
    static Column byName(String name) {
      String wanted = name.strip().toUpperCase(Locale.ROOT);
      for (Column column : values()) {
        if (column.header.equals(wanted) || column.name().equals(wanted)) {
          return column;
        }
      }
      throw new IllegalArgumentException("unknown column '" + name + "' (one of " + headers() + ")");
    }

    /** Every header, comma-separated, for messages. */
    static String headers() {
      return Arrays.stream(values()).map(Column::header).collect(Collectors.joining(", "));
    }
  }

  private BucketTable() {}

  /**
   * Prints the blocks as a table.
   *
   * @param out where to print
   * @param metas the blocks
   * @param sortBy the columns to sort by, most significant first; ties end in ULID order
   * @param style the layout
   */
  static void print(PrintWriter out, Collection<BlockMeta> metas, List<Column> sortBy, TextTable.Style style) {
    Comparator<BlockMeta> order = (a, b) -> 0;
    for (Column column : sortBy) {
      order = order.thenComparing(column.order);
    }
    List<BlockMeta> sorted = new ArrayList<>(metas);
    sorted.sort(order.thenComparing(Column.ULID.order));
    TextTable table = new TextTable(Arrays.stream(Column.values()).map(Column::header).toList());
    for (BlockMeta meta : sorted) {
      table.add(Arrays.stream(Column.values()).map(column -> column.cell.apply(meta)).toList());
    }
    table.print(out, style);
  }

  private static long range(BlockMeta m) {
    return m.maxTimeMillis() - m.minTimeMillis();
  }

  private static long resolution(BlockMeta m) {
    return m.thanos() == null ? 0 : m.thanos().downsampleResolutionMillis();
  }

  private static String source(BlockMeta m) {
    return m.thanos() == null ? "" : m.thanos().source();
  }

  /**
   * How much longer the block must span before Thanos' compactor downsamples it (negative when it is overdue), or
   * {@link #NEVER} at the coarsest resolution (1h), which is never downsampled further.
   */
  static long untilDownsamplingMillis(BlockMeta m) {
    long resolution = resolution(m);
    if (resolution == 0) {
      return RAW_DOWNSAMPLE_RANGE_MILLIS - range(m);
    }
    if (resolution == FIVE_MINUTES_MILLIS) {
      return FIVE_MINUTE_DOWNSAMPLE_RANGE_MILLIS - range(m);
    }
    return NEVER;
  }

  private static String untilDownsampling(BlockMeta m) {
    long millis = untilDownsamplingMillis(m);
    return millis == NEVER ? "-" : BlockTable.duration(millis);
  }

  private static String count(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }
}
