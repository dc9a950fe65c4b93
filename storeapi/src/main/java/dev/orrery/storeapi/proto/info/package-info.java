/**
 * The {@code thanos.info.Info} service and its messages (protobuf package {@code thanos.info}), generated at build time; wire-compatible with Thanos (FORMATS.md 8.3).
 */
package dev.orrery.storeapi.proto.info;
