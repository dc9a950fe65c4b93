/**
 * Label sets and label matchers with Prometheus semantics: immutable sorted {@link dev.orrery.core.labels.Labels} ordered by UTF-8 bytes, a reusable builder, and {@link dev.orrery.core.labels.Matcher} with RE2 regexes and Prometheus' fast paths.
 */
package dev.orrery.core.labels;
