/**
 * The native histogram sample model shared by chunk decoders and the PromQL engine: integer and float histograms, bucket spans and counter-reset hints.
 */
package dev.orrery.core.histogram;
