package dev.orrery.core.histogram;

/**
 * A run of consecutive populated buckets: {@code offset} empty buckets skipped (relative to the end of the previous
 * span, or to bucket index 0 for the first span), then {@code length} buckets.
 */
public record Span(int offset, int length) {}
