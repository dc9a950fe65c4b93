package dev.orrery.storeapi.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * {@code orrery-storeapi} does not know about PromQL or its HTTP API: a querier hands the StoreAPI fan-out client to
 * the PromQL engine as a {@code core} {@code Queryable}, and {@code examples} does that wiring (ARCHITECTURE.md).
 */
class StoreapiDependenciesTest {
  static final JavaClasses STOREAPI = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("dev.orrery.storeapi");

  @Test
  void noPromqlOrHttpServer() {
    noClasses().should().dependOnClassesThat().resideInAnyPackage("dev.orrery.promql..", "org.eclipse.jetty..")
        .check(STOREAPI);
  }

  @Test
  void noHigherModule() {
    noClasses().should().dependOnClassesThat().resideInAnyPackage("dev.orrery.downsample..", "dev.orrery.examples..")
        .check(STOREAPI);
  }
}
