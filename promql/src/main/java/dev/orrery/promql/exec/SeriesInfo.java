package dev.orrery.promql.exec;

import dev.orrery.core.labels.Labels;

/**
 * An output series of an operator. With delayed name removal (Prometheus 3) a series keeps its {@code __name__} while
 * the query runs and {@code dropName} says the name goes when the result is assembled. Immutable.
 */
public record SeriesInfo(Labels labels, boolean dropName) {
  /** A series whose name stays. */
  public static SeriesInfo of(Labels labels) {
    return new SeriesInfo(labels, false);
  }

  /** The same series, each marked to lose its name (functions and operators that drop it). */
  public static java.util.List<SeriesInfo> droppingNames(java.util.List<SeriesInfo> in) {
    java.util.List<SeriesInfo> out = new java.util.ArrayList<>(in.size());
    for (SeriesInfo s : in) {
      out.add(new SeriesInfo(s.labels(), true));
    }
    return out;
  }

  /** The type and unit metadata labels of Prometheus 3's type-and-unit feature, dropped with the name. */
  public static final String TYPE_LABEL = "__type__";
  /** See {@link #TYPE_LABEL}. */
  public static final String UNIT_LABEL = "__unit__";

  /**
   * The labels as they will be returned: without {@code __name__} (and the {@code __type__}/{@code __unit__}
   * metadata that describe the name) when the name is to be dropped.
   */
  public Labels visibleLabels() {
    return dropName ? withoutNameAndMetadata(labels) : labels;
  }

  /** {@code l} without {@code __name__}, {@code __type__} and {@code __unit__} (Prometheus' DropReserved). */
  public static Labels withoutNameAndMetadata(Labels l) {
    if (!l.has(Labels.METRIC_NAME) && !l.has(TYPE_LABEL) && !l.has(UNIT_LABEL)) {
      return l;
    }
    return l.toBuilder().delete(Labels.METRIC_NAME, TYPE_LABEL, UNIT_LABEL).build();
  }
}
