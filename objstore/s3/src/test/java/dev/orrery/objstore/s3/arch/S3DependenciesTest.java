package dev.orrery.objstore.s3.arch;

import com.tngtech.archunit.core.domain.JavaClasses;
import dev.orrery.objstore.arch.ObjstoreArchitecture;
import org.junit.jupiter.api.Test;

/** {@code orrery-objstore-s3} keeps objstore's rules and uses the AWS SDK only, never Google's (ARCHITECTURE.md). */
class S3DependenciesTest {
  static final JavaClasses S3 = ObjstoreArchitecture.importMainClasses("dev.orrery.objstore.s3");

  @Test
  void noRpcOrHttpServer() {
    ObjstoreArchitecture.noRpcOrHttpServer().check(S3);
  }

  @Test
  void noModuleAboveObjstore() {
    ObjstoreArchitecture.noOtherModule().check(S3);
  }

  @Test
  void noGoogleCloudSdk() {
    ObjstoreArchitecture.noSdk(ObjstoreArchitecture.GOOGLE_CLOUD_SDK, "an S3 user must not need the Google SDK")
        .check(S3);
  }
}
