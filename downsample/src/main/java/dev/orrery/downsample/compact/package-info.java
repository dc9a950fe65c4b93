/**
 * The compactor (ARCHITECTURE.md step 5).
 *
 * <ul>
 *   <li>Planning, as pure functions over block metas: which blocks form a compaction group ({@link
 *       dev.orrery.downsample.compact.CompactionGroup}, FORMATS.md 6.6), which blocks of a group to merge next
 *       ({@link dev.orrery.downsample.compact.CompactionPlanner}, Prometheus' and Thanos' leveled planner), which
 *       blocks to downsample ({@link dev.orrery.downsample.compact.DownsamplePlanner}, 7.6) and which blocks are
 *       past their retention ({@link dev.orrery.downsample.compact.RetentionPolicy}, 7.6).
 *   <li>{@link dev.orrery.downsample.compact.BlockCompactor}: merges local blocks of one group into one block.
 *   <li>{@link dev.orrery.downsample.compact.BucketCompactor}: runs the plans over a bucket: downloads, merges,
 *       downsamples, uploads, marks and deletes.
 * </ul>
 */
@NullMarked
package dev.orrery.downsample.compact;

import org.jspecify.annotations.NullMarked;
