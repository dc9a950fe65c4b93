package dev.orrery.objstore.gcs.arch;

import com.tngtech.archunit.core.domain.JavaClasses;
import dev.orrery.objstore.arch.ObjstoreArchitecture;
import org.junit.jupiter.api.Test;

/**
 * {@code orrery-objstore-gcs} keeps objstore's rules and uses the Google Cloud SDK only, never AWS's
 * (ARCHITECTURE.md). The SDK itself talks gRPC inside; the rule is that our classes do not.
 */
class GcsDependenciesTest {
  static final JavaClasses GCS = ObjstoreArchitecture.importMainClasses("dev.orrery.objstore.gcs");

  @Test
  void noRpcOrHttpServer() {
    ObjstoreArchitecture.noRpcOrHttpServer().check(GCS);
  }

  @Test
  void noModuleAboveObjstore() {
    ObjstoreArchitecture.noOtherModule().check(GCS);
  }

  @Test
  void noAwsSdk() {
    ObjstoreArchitecture.noSdk(ObjstoreArchitecture.AWS_SDK, "a GCS user must not need the AWS SDK").check(GCS);
  }
}
