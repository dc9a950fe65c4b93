package dev.orrery.objstore.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import org.junit.jupiter.api.Test;

/**
 * {@code orrery-objstore} stands on {@code core} and a few small libraries, and pulls in no cloud SDK: an embedder
 * that uses S3 adds {@code orrery-objstore-s3}, one that uses GCS adds {@code orrery-objstore-gcs}
 * (ARCHITECTURE.md).
 */
class ObjstoreDependenciesTest {
  static final JavaClasses OBJSTORE = ObjstoreArchitecture.importMainClasses("dev.orrery.objstore");

  @Test
  void noRpcOrHttpServer() {
    ObjstoreArchitecture.noRpcOrHttpServer().check(OBJSTORE);
  }

  @Test
  void noModuleAboveObjstore() {
    ObjstoreArchitecture.noOtherModule().check(OBJSTORE);
  }

  @Test
  void noCloudSdk() {
    ObjstoreArchitecture.noSdk(ObjstoreArchitecture.AWS_SDK, "the AWS SDK belongs to orrery-objstore-s3")
        .check(OBJSTORE);
    ObjstoreArchitecture.noSdk(ObjstoreArchitecture.GOOGLE_CLOUD_SDK, "the Google SDK belongs to orrery-objstore-gcs")
        .check(OBJSTORE);
  }

  @Test
  void onlyTheAllowedLibraries() {
    noClasses().should().dependOnClassesThat().resideOutsideOfPackages("java..", "javax..", "dev.orrery.core..",
        "dev.orrery.objstore..", "org.slf4j..", "org.jspecify..", "com.fasterxml.jackson..",
        "com.github.benmanes.caffeine..", "io.prometheus.metrics..")
        .check(OBJSTORE);
  }
}
