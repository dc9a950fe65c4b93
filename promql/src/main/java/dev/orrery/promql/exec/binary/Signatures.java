package dev.orrery.promql.exec.binary;

import dev.orrery.core.labels.Labels;
import dev.orrery.core.labels.LabelsBuilder;
import dev.orrery.promql.exec.SeriesInfo;
import java.util.List;
import java.util.Map;

/**
 * Matching signatures of binary operations: {@code on (l...)} keeps only the listed labels, {@code ignoring (l...)} and
 * plain matching drop them and always the metric name (Prometheus' {@code signatureFunc}). Signatures are interned
 * as dense ints shared by both sides.
 */
final class Signatures {
  private Signatures() {}

  static Labels key(Labels l, boolean on, List<String> names) {
    if (on) {
      LabelsBuilder b = new LabelsBuilder();
      for (String n : names) {
        String v = l.get(n);
        if (!v.isEmpty()) {
          b.set(n, v);
        }
      }
      return b.build();
    }
    LabelsBuilder b = l.toBuilder();
    b.delete(Labels.METRIC_NAME);
    b.delete(names.toArray(new String[0]));
    return b.build();
  }

  static int[] of(List<SeriesInfo> series, boolean on, List<String> names, Map<Labels, Integer> interned,
      List<Labels> keys) {
    int[] out = new int[series.size()];
    for (int i = 0; i < series.size(); i++) {
      Labels k = key(series.get(i).labels(), on, names);
      Integer id = interned.get(k);
      if (id == null) {
        id = interned.size();
        interned.put(k, id);
        keys.add(k);
      }
      out[i] = id;
    }
    return out;
  }
}
