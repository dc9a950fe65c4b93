/**
 * The compactor's planning, as pure functions over block metas (no I/O): which blocks form a compaction group
 * (FORMATS.md 6.6), which blocks of a group to merge next ({@link dev.orrery.downsample.compact.CompactionPlanner},
 * Prometheus' and Thanos' leveled planner), which blocks to downsample
 * ({@link dev.orrery.downsample.compact.DownsamplePlanner}, 7.6) and which blocks are past their retention
 * ({@link dev.orrery.downsample.compact.RetentionPolicy}, 7.6). The caller reads the metas and markers from the bucket
 * and carries out the plans.
 */
@NullMarked
package dev.orrery.downsample.compact;

import org.jspecify.annotations.NullMarked;
