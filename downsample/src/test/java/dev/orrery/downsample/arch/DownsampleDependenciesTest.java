package dev.orrery.downsample.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * {@code orrery-downsample} stands on {@code objstore} and {@code core} only: no gRPC, no PromQL, nothing above it
 * (ARCHITECTURE.md).
 */
class DownsampleDependenciesTest {
  static final JavaClasses DOWNSAMPLE = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("dev.orrery.downsample");

  @Test
  void noGrpcPromqlOrHigherModule() {
    noClasses().should().dependOnClassesThat().resideInAnyPackage("dev.orrery.storeapi..", "dev.orrery.promql..",
        "dev.orrery.examples..", "io.grpc..").check(DOWNSAMPLE);
  }
}
