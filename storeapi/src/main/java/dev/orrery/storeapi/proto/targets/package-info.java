/**
 * The {@code thanos.Targets} service and its messages (protobuf package {@code thanos}), generated at build time;
 * wire-compatible with Thanos' {@code targetspb}.
 */
package dev.orrery.storeapi.proto.targets;
