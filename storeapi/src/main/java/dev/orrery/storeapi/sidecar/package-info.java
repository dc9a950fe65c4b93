/**
 * The sidecar: {@link dev.orrery.storeapi.sidecar.SidecarStore} serves a running Prometheus through the StoreAPI by
 * remote read in {@code STREAMED_XOR_CHUNKS} mode (FORMATS.md 10), passing chunks through, with the external labels of
 * Prometheus' configuration, and serves Prometheus' metric metadata, rules, exemplars and targets; {@link
 * dev.orrery.storeapi.sidecar.PrometheusClient} is its HTTP client.
 */
@NullMarked
package dev.orrery.storeapi.sidecar;

import org.jspecify.annotations.NullMarked;
