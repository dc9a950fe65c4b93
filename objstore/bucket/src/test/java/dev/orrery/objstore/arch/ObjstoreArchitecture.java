package dev.orrery.objstore.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The dependency rules that every objstore artifact ({@code orrery-objstore}, {@code -s3}, {@code -gcs}) keeps,
 * from ARCHITECTURE.md: no gRPC, no PromQL, no HTTP server, and no module above objstore. Each artifact's own
 * {@code *DependenciesTest} checks them on its classes and adds the rules about cloud SDKs that set it apart.
 */
public final class ObjstoreArchitecture {
  /** gRPC and its wire format. */
  public static final String[] GRPC = {"io.grpc..", "com.google.protobuf.."};
  /** The HTTP server that only the PromQL HTTP API uses. */
  public static final String[] JETTY = {"org.eclipse.jetty.."};
  /** The AWS SDK v2, which only {@code orrery-objstore-s3} may use. */
  public static final String[] AWS_SDK = {"software.amazon.."};
  /** The Google Cloud client libraries, which only {@code orrery-objstore-gcs} may use. */
  public static final String[] GOOGLE_CLOUD_SDK = {"com.google.cloud..", "com.google.auth..", "com.google.api.."};
  /** The modules that stand on objstore or beside it: objstore depends on none of them. */
  public static final String[] OTHER_MODULES = {"dev.orrery.promql..", "dev.orrery.storeapi..",
      "dev.orrery.downsample..", "dev.orrery.examples.."};

  private ObjstoreArchitecture() {}

  /**
   * Imports the production classes (no tests) of the given packages from the class path.
   *
   * @param packages the packages, with their sub-packages
   * @return the classes
   */
  public static JavaClasses importMainClasses(String... packages) {
    return new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages(packages);
  }

  /** No gRPC, no Jetty. */
  public static ArchRule noRpcOrHttpServer() {
    return noClasses().should().dependOnClassesThat().resideInAnyPackage(concat(GRPC, JETTY))
        .because("objstore must not depend on gRPC or an HTTP server (ARCHITECTURE.md)");
  }

  /** No PromQL, StoreAPI, downsampling or launcher code. */
  public static ArchRule noOtherModule() {
    return noClasses().should().dependOnClassesThat().resideInAnyPackage(OTHER_MODULES)
        .because("objstore depends on core only (ARCHITECTURE.md)");
  }

  /**
   * No classes of the given SDK packages.
   *
   * @param sdk the SDK's packages
   * @param reason why, for the failure message
   * @return the rule
   */
  public static ArchRule noSdk(String[] sdk, String reason) {
    return noClasses().should().dependOnClassesThat().resideInAnyPackage(sdk).because(reason);
  }

  private static String[] concat(String[] first, String[] second) {
    String[] all = new String[first.length + second.length];
    System.arraycopy(first, 0, all, 0, first.length);
    System.arraycopy(second, 0, all, first.length, second.length);
    return all;
  }
}
