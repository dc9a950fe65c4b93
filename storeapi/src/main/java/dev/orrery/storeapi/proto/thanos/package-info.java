/**
 * Thanos StoreAPI messages and the {@code thanos.Store} service (protobuf package {@code thanos}), generated at build time from {@code src/main/proto}; wire-compatible with Thanos (FORMATS.md 8.2).
 */
package dev.orrery.storeapi.proto.thanos;
