package dev.orrery.promql.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * {@code orrery-promql} stands on {@code core} alone: no gRPC, no cloud SDK, no object storage and no StoreAPI, so
 * an application that only wants a PromQL engine over its own {@code Queryable} pulls in none of them
 * (ARCHITECTURE.md). Jetty serves the HTTP API only, Jackson the HTTP API and the rule files (STYLE.md 7.1); the
 * ruler stands on the engine and the HTTP API, never the other way round.
 */
class PromqlDependenciesTest {
  static final JavaClasses PROMQL = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("dev.orrery.promql");

  @Test
  void noRpc() {
    noClasses().should().dependOnClassesThat().resideInAnyPackage("io.grpc..", "com.google.protobuf..")
        .check(PROMQL);
  }

  @Test
  void noCloudSdk() {
    noClasses().should().dependOnClassesThat().resideInAnyPackage("software.amazon..", "com.google.cloud..",
        "com.google.auth..", "com.google.api..")
        .check(PROMQL);
  }

  @Test
  void noObjstoreStoreapiOrHigherModule() {
    noClasses().should().dependOnClassesThat().resideInAnyPackage("dev.orrery.objstore..", "dev.orrery.storeapi..",
        "dev.orrery.downsample..", "dev.orrery.examples..")
        .check(PROMQL);
  }

  @Test
  void jettyOnlyInTheHttpPackage() {
    noClasses().that().resideOutsideOfPackage("dev.orrery.promql.http..")
        .should().dependOnClassesThat().resideInAnyPackage("org.eclipse.jetty..")
        .check(PROMQL);
  }

  @Test
  void jacksonOnlyInTheHttpAndRulesPackages() {
    noClasses().that().resideOutsideOfPackages("dev.orrery.promql.http..", "dev.orrery.promql.rules..")
        .should().dependOnClassesThat().resideInAnyPackage("com.fasterxml.jackson..")
        .check(PROMQL);
  }

  @Test
  void nothingBelowTheRulerDependsOnIt() {
    noClasses().that().resideOutsideOfPackage("dev.orrery.promql.rules..")
        .should().dependOnClassesThat().resideInAnyPackage("dev.orrery.promql.rules..")
        .check(PROMQL);
  }
}
