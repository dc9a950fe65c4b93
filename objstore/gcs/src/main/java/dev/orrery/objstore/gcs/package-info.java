/**
 * The Google Cloud Storage bucket provider ({@code orrery-objstore-gcs}), through google-cloud-storage's JSON API,
 * configured with Thanos' {@code type: GCS} keys or a {@code gs://} URL.
 */
@NullMarked
package dev.orrery.objstore.gcs;

import org.jspecify.annotations.NullMarked;
