/**
 * Orrery's core: the shared unchecked {@link dev.orrery.core.OrreryException} with its error codes; the sub-packages hold labels, chunks, the index, blocks and the storage API.
 */
package dev.orrery.core;
