package dev.orrery.core.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orrery.core.labels.Labels;
import dev.orrery.core.labels.Matcher;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExemplarSetTest {
  static Exemplar ex(String trace, double v, long t) {
    return new Exemplar(Labels.of("trace_id", trace), v, t);
  }

  @Test
  void replicasSeriesMergeAndTheirCommonExemplarsAreKeptOnce() {
    Labels a = Labels.of("__name__", "req_total", "cluster", "eu", "replica", "a");
    Labels b = Labels.of("__name__", "req_total", "cluster", "eu", "replica", "b");
    Labels us = Labels.of("__name__", "req_total", "cluster", "us", "replica", "a");
    ExemplarSet set = ExemplarSet.merge(List.of(
        new ExemplarSeries(us, List.of(ex("u", 1, 10))),
        new ExemplarSeries(a, List.of(ex("x", 1, 10), ex("y", 2, 30))),
        new ExemplarSeries(b, List.of(ex("x", 1, 10), ex("z", 3, 20)))), List.of("replica"), List.of("w"));
    assertThat(set.series()).containsExactly(
        new ExemplarSeries(Labels.of("__name__", "req_total", "cluster", "eu"),
            List.of(ex("x", 1, 10), ex("z", 3, 20), ex("y", 2, 30))),
        new ExemplarSeries(Labels.of("__name__", "req_total", "cluster", "us"), List.of(ex("u", 1, 10))));
    assertThat(set.warnings()).containsExactly("w");
    // Without replica labels the replicas stay apart.
    assertThat(ExemplarSet.merge(List.of(new ExemplarSeries(a, List.of()), new ExemplarSeries(b, List.of())),
        List.of(), List.of()).series()).hasSize(2);
  }

  @Test
  void externalLabelsGoOnTheSeriesAndWin() {
    ExemplarSet set = new ExemplarSet(List.of(new ExemplarSeries(Labels.of("job", "app", "cluster", "x"),
        List.of(ex("t", 1, 1)))), List.of());
    assertThat(set.withExternalLabels(Labels.of("cluster", "eu")).series().get(0).seriesLabels())
        .isEqualTo(Labels.of("cluster", "eu", "job", "app"));
  }

  @Test
  void aStoreIsSentOnlyTheSelectorsItsLabelsMayMatchWithoutMatchersOnThem() {
    List<List<Matcher>> selectors = List.of(
        List.of(Matcher.equal("__name__", "req_total"), Matcher.equal("cluster", "eu")),
        List.of(Matcher.equal("__name__", "up"), Matcher.equal("cluster", "us")),
        List.of(Matcher.equal("cluster", "eu")));
    ExemplarQuery q = new ExemplarQuery("anything", selectors, 0, 1);
    assertThat(q.queryFor(List.of(Labels.of("cluster", "eu", "replica", "a"))))
        .isEqualTo("{__name__=\"req_total\"} or {__name__=~\".+\"}");
    assertThat(q.queryFor(List.of(Labels.of("cluster", "us"))))
        .isEqualTo("{__name__=\"up\"}");
    assertThat(q.queryFor(List.of(Labels.of("cluster", "ap")))).isNull();
    // A store without external labels is sent every selector whole; an unparsed query goes as it is.
    assertThat(q.queryFor(List.of())).isEqualTo("{__name__=\"req_total\",cluster=\"eu\"} or "
        + "{__name__=\"up\",cluster=\"us\"} or {cluster=\"eu\"}");
    assertThat(new ExemplarQuery("rate(x[5m])", List.of(), 0, 1).queryFor(List.of(Labels.of("a", "b"))))
        .isEqualTo("rate(x[5m])");
  }
}
