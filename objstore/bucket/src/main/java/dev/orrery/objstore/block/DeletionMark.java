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
 * Thanos' {@code <ULID>/deletion-mark.json} (FORMATS.md 6.4): the block will be deleted once the mark is older than
 * the compactor's delete delay, and readers stop serving it after their own delay. Written with plain {@code
 * json.Marshal} key order and no indentation: {@code {"id":...,"version":1,"details":...,"deletion_time":...}}.
 *
 * @param id the block
 * @param details free text, empty when absent
 * @param deletionTime when the block was marked (second precision)
 */
public record DeletionMark(Ulid id, String details, Instant deletionTime) {
  /** The marker's object name inside a block directory. */
  public static final String FILE_NAME = "deletion-mark.json";
  /** The only version. */
  public static final int VERSION = 1;

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Checks the values. */
  public DeletionMark {
    requireNonNull(id, "id is null");
    requireNonNull(details, "details is null");
    requireNonNull(deletionTime, "deletionTime is null");
  }

  /** Returns the JSON bytes Thanos writes. */
  public byte[] toJson() {
    ObjectNode node = JSON.createObjectNode();
    node.put("id", id.toString());
    node.put("version", VERSION);
    if (!details.isEmpty()) {
      node.put("details", details);
    }
    node.put("deletion_time", deletionTime.getEpochSecond());
    return node.toString().getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Parses a marker.
   *
   * @param json the object's bytes
   * @param resource the object key, for messages
   * @return the marker
   * @throws CorruptBlockException if it is not a version 1 deletion mark
   */
  public static DeletionMark parse(byte[] json, String resource) throws CorruptBlockException {
    JsonNode node = MarkerJson.read(json, resource);
    MarkerJson.checkVersion(node, resource);
    return new DeletionMark(MarkerJson.id(node, resource), MarkerJson.text(node, "details"),
        Instant.ofEpochSecond(MarkerJson.number(node, "deletion_time", resource)));
  }
}
