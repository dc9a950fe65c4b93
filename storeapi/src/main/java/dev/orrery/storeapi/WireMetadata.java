package dev.orrery.storeapi;

import dev.orrery.core.storage.MetricMetadata;
import dev.orrery.core.storage.MetricMetadataSet;
import dev.orrery.core.storage.StoreOptions;
import dev.orrery.storeapi.proto.metadata.Meta;
import dev.orrery.storeapi.proto.metadata.MetricMetadataEntry;
import dev.orrery.storeapi.proto.metadata.MetricMetadataRequest;
import dev.orrery.storeapi.proto.metadata.MetricMetadataResponse;
import dev.orrery.storeapi.proto.thanos.PartialResponseStrategy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Conversions between the {@code thanos.Metadata} wire messages and {@code core}'s {@link MetricMetadataSet}. */
public final class WireMetadata {
  private WireMetadata() {}

  /** The request for {@code metric} (or all), {@code limit} families and the options' partial response. */
  public static MetricMetadataRequest request(String metric, int limit, StoreOptions options) {
    boolean partial = Boolean.TRUE.equals(options.partialResponse());
    return MetricMetadataRequest.newBuilder().setMetric(metric).setLimit(limit)
        .setPartialResponseStrategy(partial ? PartialResponseStrategy.WARN : PartialResponseStrategy.ABORT).build();
  }

  /** The store options a request asks for: partial response under {@code WARN}. */
  public static StoreOptions options(MetricMetadataRequest request) {
    return new StoreOptions(null, null, request.getPartialResponseStrategy() == PartialResponseStrategy.WARN, null);
  }

  /** The frames answering a request: one with the metadata, then one per warning. */
  public static List<MetricMetadataResponse> responses(MetricMetadataSet set) {
    dev.orrery.storeapi.proto.metadata.MetricMetadata.Builder metadata =
        dev.orrery.storeapi.proto.metadata.MetricMetadata.newBuilder();
    for (Map.Entry<String, List<MetricMetadata>> e : set.byMetric().entrySet()) {
      MetricMetadataEntry.Builder entry = MetricMetadataEntry.newBuilder();
      for (MetricMetadata m : e.getValue()) {
        entry.addMetas(Meta.newBuilder().setType(m.type()).setHelp(m.help()).setUnit(m.unit()));
      }
      metadata.putMetadata(e.getKey(), entry.build());
    }
    List<MetricMetadataResponse> out = new ArrayList<>(1 + set.warnings().size());
    out.add(MetricMetadataResponse.newBuilder().setMetadata(metadata).build());
    for (String w : set.warnings()) {
      out.add(MetricMetadataResponse.newBuilder().setWarning(w).build());
    }
    return out;
  }

  /** Adds one received frame to {@code merged}: its families, or its warning. */
  public static void addTo(MetricMetadataSet.Builder merged, MetricMetadataResponse response) {
    switch (response.getResultCase()) {
      case WARNING -> merged.warn(response.getWarning());
      case METADATA -> response.getMetadata().getMetadataMap().forEach((name, entry) -> {
        List<MetricMetadata> entries = new ArrayList<>(entry.getMetasCount());
        for (Meta m : entry.getMetasList()) {
          entries.add(new MetricMetadata(m.getType(), m.getHelp(), m.getUnit()));
        }
        merged.add(name, entries);
      });
      case RESULT_NOT_SET -> { }
    }
  }
}
