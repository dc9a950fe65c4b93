/**
 * Encoding primitives shared by every file format: varints, CRC32C, bounds-checked decode and encode buffers, random-access byte sources (memory-mapped files, byte arrays), and the corruption exceptions that name the resource and offset. No policy lives here.
 */
package dev.orrery.core.io;
