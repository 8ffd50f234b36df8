package org.kmsconf.app;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.belongToAnyOf;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.kmsconf.sip.conference.Outcome;
import org.kmsconf.sip.conference.Rule;
import org.kmsconf.sip.conference.TicketScope;

/**
 * The module boundaries of the README's "Modules" section, checked on the compiled classes of every module (the app's
 * test classpath holds them all): dependencies only in the direction app → conference-ops → sip → {control,
 * kms-client, media} → mikey, with the KMS server beside them and reachable only from the app; no package cycle
 * anywhere; and nothing of a server (the focus, the conference rules, the relay, the KMS) reachable from a user agent.
 */
class ArchitectureTest {

    private static JavaClasses classes;

    @BeforeAll
    static void importMainClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.kmsconf");
    }

    @Test
    void modulesDependOnlyDownwards() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("app").definedBy("org.kmsconf.app..")
                .layer("conference-ops").definedBy("org.kmsconf.ops..")
                .layer("sip").definedBy("org.kmsconf.sip..")
                .layer("control").definedBy("org.kmsconf.control..")
                .layer("kms-client").definedBy("org.kmsconf.kmsclient..")
                .layer("kms").definedBy("org.kmsconf.kms..")
                .layer("media").definedBy("org.kmsconf.media..")
                .layer("mikey").definedBy("org.kmsconf.mikey..")
                .whereLayer("app").mayNotBeAccessedByAnyLayer()
                .whereLayer("conference-ops").mayOnlyBeAccessedByLayers("app")
                .whereLayer("kms").mayOnlyBeAccessedByLayers("app")
                .whereLayer("sip").mayOnlyBeAccessedByLayers("conference-ops", "app")
                .whereLayer("control").mayOnlyBeAccessedByLayers("sip", "conference-ops", "app")
                .whereLayer("media").mayOnlyBeAccessedByLayers("sip", "conference-ops", "app")
                .whereLayer("kms-client").mayOnlyBeAccessedByLayers("kms", "sip", "conference-ops", "app")
                .whereLayer("mikey").mayOnlyBeAccessedByLayers(
                        "control", "kms-client", "kms", "media", "sip", "conference-ops", "app")
                .check(classes);
    }

    @Test
    void noPackageCycles() {
        slices().matching("org.kmsconf.(**)").should().beFreeOfCycles().check(classes);
    }

    /**
     * The three value types of {@code sip.conference} that both sides speak (which names a ticket carries, the rule a
     * refusal names, the outcome that carries it) are shared; every class that holds or enforces conference state is not.
     */
    @Test
    void noServerClassIsReachableFromAUserAgent() {
        DescribedPredicate<JavaClass> server = resideInAnyPackage(
                "org.kmsconf.sip.focus..", "org.kmsconf.media.relay..", "org.kmsconf.kms..", "org.kmsconf.ops..")
                .or(resideInAPackage("org.kmsconf.sip.conference..")
                        .and(not(belongToAnyOf(TicketScope.class, Rule.class, Outcome.class))))
                .as("a class of the focus, the conference model, the relay, the KMS or the operator's console");
        noClasses().that().resideInAPackage("org.kmsconf.sip.ue..")
                .should().transitivelyDependOnClassesThat(server)
                .check(classes);
    }
}
