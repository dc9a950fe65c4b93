/**
 * TSDB blocks: {@code meta.json} (with the Thanos section), ULIDs, the block writer, the block reader that implements the storage API over a block's index, chunks and tombstones, sets of blocks, and the verifier behind {@code orrery tools block verify}.
 */
package dev.orrery.core.block;
