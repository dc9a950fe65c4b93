/**
 * The {@code thanos.Exemplars} service and its messages (protobuf package {@code thanos}), generated at build time;
 * wire-compatible with Thanos' {@code exemplarspb}.
 */
package dev.orrery.storeapi.proto.exemplars;
