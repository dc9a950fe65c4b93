/**
 * The object-storage API of Orrery: the {@link dev.orrery.objstore.Bucket} interface and its rules, the in-memory
 * bucket, discovery of bucket implementations by URL scheme or Thanos objstore file ({@link
 * dev.orrery.objstore.BucketProviders}), and the wrappers that add retries, Thanos-named metrics, caching and key
 * prefixes.
 */
@NullMarked
package dev.orrery.objstore;

import org.jspecify.annotations.NullMarked;
