/**
 * The {@code thanos.Metadata} service and its messages (protobuf package {@code thanos}), generated at build time;
 * wire-compatible with Thanos' {@code metadatapb}.
 */
package dev.orrery.storeapi.proto.metadata;
