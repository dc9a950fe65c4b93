package dev.orrery.storeapi;

import dev.orrery.core.storage.Exemplar;
import dev.orrery.core.storage.ExemplarQuery;
import dev.orrery.core.storage.ExemplarSeries;
import dev.orrery.core.storage.ExemplarSet;
import dev.orrery.core.storage.StoreOptions;
import dev.orrery.storeapi.proto.exemplars.ExemplarData;
import dev.orrery.storeapi.proto.exemplars.ExemplarsRequest;
import dev.orrery.storeapi.proto.exemplars.ExemplarsResponse;
import dev.orrery.storeapi.proto.thanos.PartialResponseStrategy;
import java.util.ArrayList;
import java.util.List;

/** Conversions between the {@code thanos.Exemplars} wire messages and {@code core}'s exemplars. */
public final class WireExemplars {
  private WireExemplars() {}

  /** The request for {@code query} (the query string as given) with the options' partial response. */
  public static ExemplarsRequest request(String query, long startMillis, long endMillis, StoreOptions options) {
    boolean partial = Boolean.TRUE.equals(options.partialResponse());
    return ExemplarsRequest.newBuilder().setQuery(query).setStart(startMillis).setEnd(endMillis)
        .setPartialResponseStrategy(partial ? PartialResponseStrategy.WARN : PartialResponseStrategy.ABORT).build();
  }

  /** The query a request asks for; its selectors are not parsed here, so the query is passed on as it is. */
  public static ExemplarQuery query(ExemplarsRequest request) {
    return new ExemplarQuery(request.getQuery(), List.of(), request.getStart(), request.getEnd());
  }

  /** The store options a request asks for: partial response under {@code WARN}. */
  public static StoreOptions options(ExemplarsRequest request) {
    return new StoreOptions(null, null, request.getPartialResponseStrategy() == PartialResponseStrategy.WARN, null);
  }

  /** The frames answering a request: one per series, then one per warning. */
  public static List<ExemplarsResponse> responses(ExemplarSet set) {
    List<ExemplarsResponse> out = new ArrayList<>(set.series().size() + set.warnings().size());
    for (ExemplarSeries s : set.series()) {
      ExemplarData.Builder data = ExemplarData.newBuilder()
          .setSeriesLabels(WireLabels.toPlainLabelSet(s.seriesLabels()));
      for (Exemplar e : s.exemplars()) {
        data.addExemplars(dev.orrery.storeapi.proto.exemplars.Exemplar.newBuilder()
            .setLabels(WireLabels.toPlainLabelSet(e.labels())).setValue(e.value()).setTs(e.timestampMillis()));
      }
      out.add(ExemplarsResponse.newBuilder().setData(data).build());
    }
    for (String w : set.warnings()) {
      out.add(ExemplarsResponse.newBuilder().setWarning(w).build());
    }
    return out;
  }

  /** Adds one received frame: its series to {@code series}, or its warning to {@code warnings}. */
  public static void addTo(List<ExemplarSeries> series, List<String> warnings, ExemplarsResponse response) {
    switch (response.getResultCase()) {
      case DATA -> {
        ExemplarData d = response.getData();
        List<Exemplar> exemplars = new ArrayList<>(d.getExemplarsCount());
        for (dev.orrery.storeapi.proto.exemplars.Exemplar e : d.getExemplarsList()) {
          exemplars.add(new Exemplar(WireLabels.toLabels(e.getLabels().getLabelsList()), e.getValue(), e.getTs()));
        }
        series.add(new ExemplarSeries(WireLabels.toLabels(d.getSeriesLabels().getLabelsList()), exemplars));
      }
      case WARNING -> warnings.add(response.getWarning());
      case RESULT_NOT_SET -> { }
    }
  }
}
