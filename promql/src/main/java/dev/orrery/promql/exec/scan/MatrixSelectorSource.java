package dev.orrery.promql.exec.scan;

import dev.orrery.core.labels.Matcher;
import dev.orrery.core.storage.SelectHints;
import dev.orrery.promql.exec.QueryContext;
import dev.orrery.promql.exec.StepGrid;
import java.util.List;
import java.util.function.Supplier;

/** The samples of a matrix selector {@code sel[range] offset o @ t}, loaded once for all windows of the grid. */
public final class MatrixSelectorSource implements RangeSource {
  private final QueryContext ctx;
  private final StepGrid grid;
  private final List<Matcher> matchers;
  private final long rangeMillis;
  private final long offsetMillis;
  private final Long atMillis;
  private final String function;
  private final boolean statsOnly;
  private final long extraBeforeMillis;
  private final long extraAfterMillis;
  /** The selector's PromQL, printed only when the plan is described. */
  private final Supplier<String> text;
  private List<SeriesData> data;

  /** A source for {@code grid}; {@code function} is the enclosing function's name for the select hints. */
  public MatrixSelectorSource(QueryContext ctx, StepGrid grid, List<Matcher> matchers, long rangeMillis,
      long offsetMillis, Long atMillis, String function, boolean statsOnly, long extraBeforeMillis,
      long extraAfterMillis, Supplier<String> text) {
    this.ctx = ctx;
    this.grid = grid;
    this.matchers = matchers;
    this.rangeMillis = rangeMillis;
    this.offsetMillis = offsetMillis;
    this.atMillis = atMillis;
    this.function = function;
    this.statsOnly = statsOnly;
    this.extraBeforeMillis = extraBeforeMillis;
    this.extraAfterMillis = extraAfterMillis;
    this.text = text;
  }

  @Override
  public long windowEnd(long t) {
    return (atMillis != null ? atMillis : t) - offsetMillis;
  }

  @Override
  public long rangeMillis() {
    return rangeMillis;
  }

  @Override
  public List<SeriesData> series() {
    if (data == null) {
      long maxt = windowEnd(grid.endMillis()) + extraAfterMillis;
      long mint = windowEnd(grid.startMillis()) - rangeMillis + 1 - extraBeforeMillis;
      SelectHints hints = new SelectHints(mint, maxt, grid.stepMillis(), function, rangeMillis, List.of(), false,
          true, List.of(), true, 0);
      data = SeriesLoader.load(ctx, matchers, mint, maxt, hints, false, statsOnly);
    }
    return data;
  }

  @Override
  public long lookaheadMillis() {
    return extraAfterMillis;
  }

  @Override
  public boolean looksOutside() {
    return extraBeforeMillis > 0 || extraAfterMillis > 0;
  }

  @Override
  public String describe() {
    return text.get();
  }
}
