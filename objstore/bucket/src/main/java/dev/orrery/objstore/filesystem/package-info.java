/**
 * The filesystem bucket, Orrery's embedded default, compatible with Thanos' {@code FILESYSTEM} objstore type.
 */
@NullMarked
package dev.orrery.objstore.filesystem;

import org.jspecify.annotations.NullMarked;
