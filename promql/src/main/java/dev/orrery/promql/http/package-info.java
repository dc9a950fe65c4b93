/**
 * Prometheus' HTTP query API over Orrery: {@link dev.orrery.promql.http.PrometheusApiHandler} is an embeddable Jetty 12
 * handler for {@code /api/v1/query}, {@code /api/v1/query_range}, {@code /api/v1/series}, {@code /api/v1/labels},
 * {@code /api/v1/label/<name>/values}, {@code /api/v1/format_query}, {@code /api/v1/parse_query},
 * {@code /api/v1/status/buildinfo} and {@code /api/v1/metadata} (from a {@link
 * dev.orrery.core.storage.MetricMetadataSource}), {@code /api/v1/rules} and {@code /api/v1/alerts} (from a {@link
 * dev.orrery.core.rules.RuleGroupsSource}) and {@code /api/v1/query_exemplars} (from an {@link
 * dev.orrery.core.storage.ExemplarSource}), answering with the JSON Prometheus writes (the same
 * fields, number formats and error types, so Grafana and {@code promtool query} read it unchanged), plus a small query
 * page at {@code /} and the lifecycle routes {@code /-/healthy}, {@code /-/ready} and {@code /-/reload}. {@link
 * dev.orrery.promql.http.ApiServer} binds such a handler to an address on a Jetty server.
 *
 * <p>Parameter parsing follows {@code web/api/v1/api.go} of Prometheus 3.x ({@link
 * dev.orrery.promql.http.ApiParameters}); JSON follows its {@code jsoniter} codec ({@link
 * dev.orrery.promql.http.ApiJsonWriter}).
 */
package dev.orrery.promql.http;
