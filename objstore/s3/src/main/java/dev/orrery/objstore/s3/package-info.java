/**
 * The S3 bucket provider ({@code orrery-objstore-s3}): Amazon S3 and S3-compatible stores through the AWS SDK v2,
 * configured with Thanos' {@code type: S3} keys or an {@code s3://} URL.
 */
@NullMarked
package dev.orrery.objstore.s3;

import org.jspecify.annotations.NullMarked;
