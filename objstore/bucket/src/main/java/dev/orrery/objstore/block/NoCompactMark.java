package dev.orrery.objstore.block;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orrery.core.block.Ulid;
import dev.orrery.core.io.CorruptBlockException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

import static java.util.Objects.requireNonNull;

/**
 * Thanos' {@code <ULID>/no-compact-mark.json} (FORMATS.md 6.4): the compactor's planner skips the block. Written as
 * {@code {"id":...,"version":1,"details":...,"no_compact_time":...,"reason":...}}.
 *
 * @param id the block
 * @param reason why: Thanos' known values are {@code manual}, {@code index-size-exceeding}, {@code
 *     block-index-out-of-order-chunk} and {@code downsample-vertical-compaction}
 * @param details free text, empty when absent
 * @param noCompactTime when the block was marked (second precision)
 */
public record NoCompactMark(Ulid id, String reason, String details, Instant noCompactTime) {
  /** The marker's object name inside a block directory. */
  public static final String FILE_NAME = "no-compact-mark.json";
  /** The only version. */
  public static final int VERSION = 1;
  /** The reason for marks set by an operator. */
  public static final String MANUAL = "manual";

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Checks the values. */
  public NoCompactMark {
    requireNonNull(id, "id is null");
    requireNonNull(reason, "reason is null");
    requireNonNull(details, "details is null");
    requireNonNull(noCompactTime, "noCompactTime is null");
  }

  /** Returns the JSON bytes Thanos writes. */
  public byte[] toJson() {
    ObjectNode node = JSON.createObjectNode();
    node.put("id", id.toString());
    node.put("version", VERSION);
    if (!details.isEmpty()) {
      node.put("details", details);
    }
    node.put("no_compact_time", noCompactTime.getEpochSecond());
    node.put("reason", reason);
    return node.toString().getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Parses a marker.
   *
   * @param json the object's bytes
   * @param resource the object key, for messages
   * @return the marker
   * @throws CorruptBlockException if it is not a version 1 no-compact mark
   */
  public static NoCompactMark parse(byte[] json, String resource) throws CorruptBlockException {
    JsonNode node = MarkerJson.read(json, resource);
    MarkerJson.checkVersion(node, resource);
    return new NoCompactMark(MarkerJson.id(node, resource), MarkerJson.text(node, "reason"),
        MarkerJson.text(node, "details"), Instant.ofEpochSecond(MarkerJson.number(node, "no_compact_time",
            resource)));
  }
}
