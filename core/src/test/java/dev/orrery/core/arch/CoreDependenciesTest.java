package dev.orrery.core.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** {@code core} stands on the JDK, SLF4J, RE2/J, Jackson and Commons Compress only (ARCHITECTURE.md). */
class CoreDependenciesTest {
  static final JavaClasses CORE = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("dev.orrery.core");

  @Test
  void coreDependsOnNoCloudSdkRpcOrHttp() {
    noClasses().should().dependOnClassesThat().resideInAnyPackage("io.grpc..", "com.google.protobuf..",
        "software.amazon..", "com.google.cloud..", "org.eclipse.jetty..", "io.prometheus..")
        .check(CORE);
  }

  @Test
  void coreDependsOnNoHigherModule() {
    noClasses().should().dependOnClassesThat().resideInAnyPackage("dev.orrery.objstore..", "dev.orrery.promql..",
        "dev.orrery.storeapi..", "dev.orrery.downsample..", "dev.orrery.examples..")
        .check(CORE);
  }

  @Test
  void onlyTheAllowedLibraries() {
    noClasses().should().dependOnClassesThat().resideOutsideOfPackages("java..", "javax..", "dev.orrery.core..",
        "org.slf4j..", "com.google.re2j..", "com.fasterxml.jackson..", "org.apache.commons.compress..",
        "jdk.incubator.vector..")
        .check(CORE);
  }

  @Test
  void onlyTheVectorKernelUsesTheIncubatorModule() {
    // Everything else must load without the module: XorChunkLanes falls back to the one-chunk decoder.
    noClasses().that().doNotHaveFullyQualifiedName("dev.orrery.core.chunk.XorLaneKernel")
        .should().dependOnClassesThat().resideInAPackage("jdk.incubator.vector..")
        .check(CORE);
  }
}
