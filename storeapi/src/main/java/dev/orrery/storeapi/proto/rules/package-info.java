/**
 * The {@code thanos.Rules} service and its messages (protobuf package {@code thanos}), generated at build time;
 * wire-compatible with Thanos' {@code rulespb}.
 */
package dev.orrery.storeapi.proto.rules;
