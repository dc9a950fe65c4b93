package dev.orrery.downsample.compact;

import dev.orrery.core.block.BlockMeta;
import dev.orrery.core.labels.Utf8Order;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A compaction group (FORMATS.md 6.6): the blocks with the same external labels (compared as a whole set) and the same
 * downsample resolution. Blocks of different groups are never merged, so the planner sees one group at a time.
 * Immutable.
 *
 * @param labels the external labels ({@code thanos.labels}), sorted by name in UTF-8 order
 * @param resolutionMillis {@code thanos.downsample.resolution}: 0 for raw, 300000 for 5m, 3600000 for 1h
 * @param blocks the group's blocks, sorted by minimum time, then ULID
 */
public record CompactionGroup(SortedMap<String, String> labels, long resolutionMillis, List<BlockMeta> blocks) {
  /** Plan order everywhere in this package: by minimum time, ties by ULID so that plans are deterministic. */
  static final Comparator<BlockMeta> BY_MIN_TIME =
      Comparator.comparingLong(BlockMeta::minTimeMillis).thenComparing(BlockMeta::ulid);

  private static final SortedMap<String, String> NO_LABELS =
      Collections.unmodifiableSortedMap(new TreeMap<>(Utf8Order.COMPARATOR));
  private static final Pattern BARE_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

  /**
   * Copies the labels and sorts a copy of the blocks.
   *
   * @throws IllegalArgumentException if a block has other external labels or another resolution
   */
  public CompactionGroup {
    Objects.requireNonNull(labels, "labels is null");
    Objects.requireNonNull(blocks, "blocks is null");
    TreeMap<String, String> sortedLabels = new TreeMap<>(Utf8Order.COMPARATOR);
    sortedLabels.putAll(labels);
    labels = Collections.unmodifiableSortedMap(sortedLabels);
    List<BlockMeta> sortedBlocks = new ArrayList<>(blocks);
    sortedBlocks.sort(BY_MIN_TIME);
    blocks = List.copyOf(sortedBlocks);
    for (BlockMeta b : blocks) {
      if (resolutionOf(b) != resolutionMillis || !labelsOf(b).equals(labels)) {
        throw new IllegalArgumentException("block " + b.ulid() + " is in group " + key(resolutionOf(b), labelsOf(b))
            + ", not " + key(resolutionMillis, labels));
      }
    }
  }

  /**
   * Splits {@code metas} into compaction groups, returned in {@link #key()} order. A meta without a Thanos section
   * (a plain Prometheus block) has no external labels and raw resolution.
   */
  public static List<CompactionGroup> of(Collection<BlockMeta> metas) {
    // The key renders labels and resolution without ambiguity, so equal keys mean the same group.
    TreeMap<String, List<BlockMeta>> byKey = new TreeMap<>(Utf8Order.COMPARATOR);
    for (BlockMeta m : metas) {
      byKey.computeIfAbsent(key(resolutionOf(m), labelsOf(m)), k -> new ArrayList<>()).add(m);
    }
    List<CompactionGroup> groups = new ArrayList<>(byKey.size());
    for (List<BlockMeta> blocks : byKey.values()) {
      BlockMeta first = blocks.getFirst();
      groups.add(new CompactionGroup(labelsOf(first), resolutionOf(first), blocks));
    }
    return groups;
  }

  /**
   * A readable, stable name for the group, such as {@code 0@{cluster="eu",environment="prod"}}: the resolution, then
   * the labels in Prometheus' text form (values quoted and escaped; a name that is not a legacy metric name is
   * quoted too, so that distinct groups never share a key). Thanos names groups by a label hash instead (6.6); this
   * form is for logs and ordering only.
   */
  public String key() {
    return key(resolutionMillis, labels);
  }

  /** The {@link #key()} of the group {@code meta} belongs to. */
  static String keyOf(BlockMeta meta) {
    return key(resolutionOf(meta), labelsOf(meta));
  }

  static String key(long resolutionMillis, Map<String, String> labels) {
    StringBuilder sb = new StringBuilder().append(resolutionMillis).append("@{");
    boolean first = true;
    for (Map.Entry<String, String> e : labels.entrySet()) {
      if (!first) {
        sb.append(',');
      }
      first = false;
      if (BARE_NAME.matcher(e.getKey()).matches()) {
        sb.append(e.getKey());
      } else {
        appendQuoted(sb, e.getKey());
      }
      sb.append('=');
      appendQuoted(sb, e.getValue());
    }
    return sb.append('}').toString();
  }

  // The exposition format's escapes: backslash, double quote and line feed.
  private static void appendQuoted(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '\\' -> sb.append("\\\\");
        case '"' -> sb.append("\\\"");
        case '\n' -> sb.append("\\n");
        default -> sb.append(c);
      }
    }
    sb.append('"');
  }

  /** The block's external labels; none for a block without a Thanos section. */
  static SortedMap<String, String> labelsOf(BlockMeta meta) {
    return meta.thanos() == null ? NO_LABELS : meta.thanos().labels();
  }

  /** The block's downsample resolution; raw (0) for a block without a Thanos section. */
  static long resolutionOf(BlockMeta meta) {
    return meta.thanos() == null ? 0 : meta.thanos().downsampleResolutionMillis();
  }
}
