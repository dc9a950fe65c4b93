package dev.orrery.objstore.block;

import dev.orrery.core.block.BlockMeta;
import dev.orrery.core.block.Ulid;
import dev.orrery.core.labels.Matcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * Keeps blocks whose external labels ({@code thanos.labels}) match every matcher, as Thanos' store gateway
 * selector relabelling is most often used ({@code cluster="eu1"}, {@code environment=~"prod|staging"}). A missing
 * label matches as the empty string, as in PromQL.
 *
 * @param matchers the matchers, all of which must match
 */
public record ExternalLabelsFilter(List<Matcher> matchers) implements MetaFilter {
  /** Copies the matchers. */
  public ExternalLabelsFilter {
    matchers = List.copyOf(matchers);
  }

  @Override
  public void filter(SortedMap<Ulid, BlockMeta> metas, Exclusions exclusions) {
    for (Map.Entry<Ulid, BlockMeta> entry : new ArrayList<>(metas.entrySet())) {
      Map<String, String> labels = entry.getValue().thanos() == null ? Map.of() : entry.getValue().thanos().labels();
      for (Matcher matcher : matchers) {
        if (!matcher.matches(labels.getOrDefault(matcher.name(), ""))) {
          exclusions.exclude(entry.getKey(), "label-excluded");
          break;
        }
      }
    }
  }
}
