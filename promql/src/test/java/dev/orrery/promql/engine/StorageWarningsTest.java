package dev.orrery.promql.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orrery.core.labels.Matcher;
import dev.orrery.core.storage.Querier;
import dev.orrery.core.storage.Queryable;
import dev.orrery.core.storage.SelectHints;
import dev.orrery.core.storage.SeriesSet;
import dev.orrery.core.storage.Series;
import dev.orrery.core.storage.StoreOptions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Warnings from storage (a store failing under partial response) reach the query's annotations; options reach hints. */
class StorageWarningsTest {
  /** A store that holds nothing, warns on every select, and remembers the hints it was given. */
  static final class WarningStore implements Queryable {
    final List<SelectHints> hints = new ArrayList<>();

    @Override
    public Querier querier(long mint, long maxt) {
      return new Querier() {
        @Override
        public SeriesSet select(boolean sorted, SelectHints h, Matcher... matchers) {
          hints.add(h);
          return new SeriesSet() {
            @Override
            public boolean next() {
              return false;
            }

            @Override
            public Series at() {
              throw new IllegalStateException();
            }

            @Override
            public List<String> warnings() {
              return List.of("store 127.0.0.1:10901 unavailable: connection refused");
            }
          };
        }

        @Override
        public List<String> labelNames(Matcher... matchers) {
          return List.of();
        }

        @Override
        public List<String> labelValues(String name, Matcher... matchers) {
          return List.of();
        }

        @Override
        public void close() {}
      };
    }
  }

  @Test
  void storeWarningsBecomeQueryWarnings() {
    WarningStore store = new WarningStore();
    try (Query q = Engine.builder().build().instantQuery(store, "sum(up)", 1_000_000)) {
      QueryResult r = q.execute();
      assertThat(r.annotations().warnings("sum(up)"))
          .containsExactly("store 127.0.0.1:10901 unavailable: connection refused");
    }
  }

  @Test
  void storeOptionsReachTheSelectHints() {
    WarningStore store = new WarningStore();
    Queryable withOptions = new StoreOptions(false, List.of("replica"), false, 3_600_000L).applyTo(store);
    try (Query q = Engine.builder().build().rangeQuery(withOptions, "rate(up[5m])", 0, 600_000, 60_000)) {
      q.execute();
    }
    assertThat(store.hints).isNotEmpty();
    for (SelectHints h : store.hints) {
      assertThat(h.dedup()).isFalse();
      assertThat(h.replicaLabels()).containsExactly("replica");
      assertThat(h.partialResponse()).isFalse();
      assertThat(h.maxSourceResolutionMillis()).isEqualTo(3_600_000L);
      assertThat(h.rangeMillis()).isEqualTo(300_000L);
    }
  }
}
