/**
 * Hint payloads carried in {@code google.protobuf.Any} (protobuf package {@code hintspb}), generated at build time (FORMATS.md 8.2).
 */
package dev.orrery.storeapi.proto.hints;
