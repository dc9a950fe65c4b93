package dev.orrery.promql.exec.aggregate;

import dev.orrery.core.labels.Labels;
import dev.orrery.core.labels.LabelsBuilder;
import dev.orrery.promql.exec.SeriesInfo;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Maps input series to aggregation groups by their {@code by}/{@code without} labels. {@code without} always removes
 * the metric name; {@code by (__name__)} keeps it, and the group then drops it at the end if any member would.
 */
final class Grouping {
  final int[] groupOf;
  final List<SeriesInfo> groups;

  private Grouping(int[] groupOf, List<SeriesInfo> groups) {
    this.groupOf = groupOf;
    this.groups = groups;
  }

  static Labels key(Labels l, List<String> grouping, boolean without) {
    if (without) {
      LabelsBuilder b = l.toBuilder();
      b.delete(Labels.METRIC_NAME);
      b.delete(grouping.toArray(new String[0]));
      return b.build();
    }
    LabelsBuilder b = new LabelsBuilder();
    for (String g : grouping) {
      String v = l.get(g);
      if (!v.isEmpty()) {
        b.set(g, v);
      }
    }
    return b.build();
  }

  static Grouping of(List<SeriesInfo> in, List<String> grouping, boolean without) {
    int[] groupOf = new int[in.size()];
    Map<Labels, Integer> ids = new HashMap<>();
    List<SeriesInfo> groups = new ArrayList<>();
    boolean byName = !without && grouping.contains(Labels.METRIC_NAME);
    for (int i = 0; i < in.size(); i++) {
      SeriesInfo s = in.get(i);
      Labels k = key(s.labels(), grouping, without);
      Integer id = ids.get(k);
      boolean drop = byName && s.dropName();
      if (id == null) {
        id = groups.size();
        ids.put(k, id);
        groups.add(new SeriesInfo(k, drop));
      } else if (drop && !groups.get(id).dropName()) {
        groups.set(id, new SeriesInfo(k, true));
      }
      groupOf[i] = id;
    }
    return new Grouping(groupOf, groups);
  }
}
