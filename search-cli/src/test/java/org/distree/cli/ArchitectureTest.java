package org.distree.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import java.net.URLConnection;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The rules between packages, checked on the main classes of every module (this module's test
 * classpath holds them all): no cycles between packages; the command line alone knows picocli;
 * the daemon alone knows Jetty; the plots alone know XChart; distree-model knows no network,
 * server, index or schedule library. Test classes (this module's, and the distree-model test jar's) and the test support
 * module ({@code org.distree.testing}, which starts Jetty stub servers) are not imported.
 */
class ArchitectureTest {
    /** The test jars of other modules: {@code *-tests.jar}, by Maven's convention. */
    private static final Pattern TEST_JAR = Pattern.compile(".*-tests\\.jar!/.*");

    private static final ImportOption NOT_TEST_SUPPORT =
            location -> !location.contains("/org/distree/testing/");
    private static final ImportOption NOT_A_TEST_JAR = location -> !location.matches(TEST_JAR);

    private static JavaClasses main;

    @BeforeAll
    static void importMainClasses() {
        main = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(NOT_A_TEST_JAR)
                .withImportOption(NOT_TEST_SUPPORT)
                .importPackages("org.distree");
    }

    @Test
    void everyModuleIsImportedAndNoTestClass() {
        assertThat(main.stream().map(JavaClass::getName))
                .contains(
                        "org.distree.model.Entry",
                        "org.distree.crawl.Searcher",
                        "org.distree.site.SiteIndexer",
                        "org.distree.archive.CaptureQuery",
                        "org.distree.maintain.Maintainer",
                        "org.distree.server.NodeServer",
                        "org.distree.cli.Distree")
                .noneMatch(n -> n.startsWith("org.distree.testing."))
                .noneMatch(n -> n.endsWith("Test") || n.endsWith("IT"));
    }

    @Test
    void packagesHaveNoCycles() {
        ArchRule rule = slices().matching("org.distree.(**)").should().beFreeOfCycles();
        rule.check(main);
    }

    @Test
    void onlyTheCommandLineUsesPicocli() {
        ArchRule rule = noClasses()
                .that()
                .resideOutsideOfPackage("org.distree.cli..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("picocli..")
                .because("library modules never depend on the command line");
        rule.check(main);
    }

    @Test
    void onlyTheDaemonUsesJetty() {
        ArchRule rule = noClasses()
                .that()
                .resideOutsideOfPackage("org.distree.server..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("org.eclipse.jetty..")
                .because("serving HTTP is the daemon's job (docs/SERVE.md)");
        rule.check(main);
    }

    @Test
    void onlyThePlotsUseXChart() {
        ArchRule rule = noClasses()
                .that()
                .resideOutsideOfPackage("org.distree.sim.plot..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("org.knowm.xchart..")
                .because("charts are drawn in one place, distree-sim's org.distree.sim.plot");
        rule.check(main);
    }

    @Test
    void theModelUsesNoNetworkServerIndexOrScheduleLibrary() {
        ArchRule rule = noClasses()
                .that()
                .resideInAnyPackage(
                        "org.distree.model..",
                        "org.distree.html..",
                        "org.distree.rules..",
                        "org.distree.store..",
                        "org.distree.tree..",
                        "org.distree.query..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "org.apache.hc..",
                        "java.net.http..",
                        "org.eclipse.jetty..",
                        "org.apache.lucene..",
                        "org.quartz..",
                        "picocli..")
                .orShould()
                .dependOnClassesThat()
                .areAssignableTo(URLConnection.class)
                .because("distree-model is the bottom layer: format, rules, store and local"
                        + " tree, with no HTTP (README, Layout)");
        rule.check(main);
    }
}
