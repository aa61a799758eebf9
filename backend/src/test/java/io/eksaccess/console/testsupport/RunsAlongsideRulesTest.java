package io.eksaccess.console.testsupport;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.conditions.ArchConditions;
import org.junit.jupiter.api.Test;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.parallel.Isolated;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.springframework.boot.test.system.CapturedOutput;

/**
 * What a class running beside the serial lane must not touch, checked on the compiled tests: a
 * class that broke one of these rules would pass alone and fail only when timing put it beside the
 * wrong class.
 */
@RunsAlongside(seconds = 5)
class RunsAlongsideRulesTest {

    static final JavaClasses TESTS = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.ONLY_INCLUDE_TESTS)
            .importPackages("io.eksaccess.console");

    /** Marked itself or through a superclass (the journeys inherit it from ConsoleInChromium). */
    static final DescribedPredicate<JavaClass> RUNS_ALONGSIDE = DescribedPredicate.describe("run alongside",
            type -> Stream.concat(Stream.of(type), type.getAllRawSuperclasses().stream())
                    .anyMatch(c -> c.isAnnotatedWith(RunsAlongside.class)));

    static final DescribedPredicate<JavaClass> HOLD_THE_ALONGSIDE_LOCK = DescribedPredicate.describe(
            "hold @ResourceLock(KubeApiServer.ALONGSIDE_LOCK)",
            type -> type.tryGetAnnotationOfType(ResourceLock.class)
                    .map(lock -> lock.value().equals(KubeApiServer.ALONGSIDE_LOCK)).orElse(false));

    static final DescribedPredicate<JavaClass> HOLD_THE_MOTO_EKS_LOCK = DescribedPredicate.describe(
            "hold @ResourceLock(ConsoleWithMotoEks.LOCK)",
            type -> type.tryGetAnnotationOfType(ResourceLock.class)
                    .map(lock -> lock.value().equals(ConsoleWithMotoEks.LOCK)).orElse(false));

    @Test
    void classesAlongsideLeaveTheSerialLanesApiServerAlone() {
        noClasses().that(RUNS_ALONGSIDE)
                .should().callMethod(KubeApiServer.class, "get")
                .orShould().accessClassesThat().areAssignableTo(SharedApiServer.class)
                .because("the serial lane resets the shared API server's aws-auth class by class;"
                        + " use KubeApiServer.alongside() with @ResourceLock(KubeApiServer.ALONGSIDE_LOCK) or a dedicated one")
                .check(TESTS);
    }

    @Test
    void classesAlongsideLeaveTheJvmsOutputStreamsAlone() {
        noClasses().that(RUNS_ALONGSIDE)
                .should().callMethod(System.class, "setOut", PrintStream.class)
                .orShould().callMethod(System.class, "setErr", PrintStream.class)
                .because("the serial lane's output would land in the capture")
                .check(TESTS);
    }

    @Test
    void usersOfTheAlongsideApiServerHoldItsLock() {
        noClasses().that(DescribedPredicate.not(HOLD_THE_ALONGSIDE_LOCK))
                .and().doNotHaveFullyQualifiedName(KubeApiServer.class.getName())
                .should().callMethod(KubeApiServer.class, "alongside")
                .because("its users replace aws-auth and built-in roles, so they must not overlap")
                .check(TESTS);
    }

    @Test
    void classesSharingTheMotoEksConsoleRunAlongsideOneAtATime() {
        classes().that().areAnnotatedWith(ConsoleWithMotoEks.class)
                .should(ArchConditions.be(RUNS_ALONGSIDE.and(HOLD_THE_MOTO_EKS_LOCK)))
                .because("they share one console; a serial-lane class among them would use it at the same time")
                .check(TESTS);
    }

    @Test
    void classesSwappingTheJvmsOutputStreamsRunAlone() {
        classes().that(DescribedPredicate.describe("swap System.out or System.err", (JavaClass type) -> type
                        .getMethodCallsFromSelf().stream()
                        .anyMatch(call -> call.getTargetOwner().isEquivalentTo(System.class)
                                && (call.getName().equals("setOut") || call.getName().equals("setErr")))))
                .should().beAnnotatedWith(Isolated.class)
                .because("what the other workers' classes log meanwhile would land in the swapped stream")
                .check(TESTS);
    }

    @Test
    void classesCapturingTheJvmsOutputRunAlone() {
        classes().that(DescribedPredicate.describe("capture the JVM's output", type -> type.getMethods().stream()
                        .anyMatch(m -> m.getRawParameterTypes().stream().anyMatch(t -> t.isEquivalentTo(CapturedOutput.class)))))
                .should().beAnnotatedWith(Isolated.class)
                .because("whatever the other worker's classes log meanwhile would land in the capture")
                .check(TESTS);
    }

    @Test
    void everyDynamicPropertyIsWorkedOutOnce() throws IOException {
        Path tests = Path.of("src/test/java");
        Pattern unwrapped = Pattern.compile("registry\\.add\\(\"[^\"]+\",\\s*+(?!Once\\.of\\()");
        List<String> offenders;
        try (Stream<Path> files = Files.walk(tests)) {
            offenders = files.filter(f -> f.toString().endsWith(".java")).flatMap(f -> {
                try {
                    return Files.readAllLines(f).stream()
                            .filter(line -> unwrapped.matcher(line).find())
                            .map(line -> tests.relativize(f) + ": " + line.strip());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).toList();
        }
        assertThat(offenders)
                .as("Spring asks a @DynamicPropertySource supplier on every read of its property (five reads of"
                        + " spring.datasource.url as a console starts): wrap each in Once.of")
                .isEmpty();
    }
}
