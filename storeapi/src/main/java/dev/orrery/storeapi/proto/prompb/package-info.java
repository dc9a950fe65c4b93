/**
 * Prometheus remote-read and remote-write messages with Thanos labels (protobuf package {@code prometheus_copy}), generated at build time; the sidecar uses them against Prometheus' {@code /api/v1/read} (FORMATS.md 10.2).
 */
package dev.orrery.storeapi.proto.prompb;
