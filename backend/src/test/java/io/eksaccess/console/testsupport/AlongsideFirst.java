package io.eksaccess.console.testsupport;

import java.util.Comparator;
import org.junit.jupiter.api.ClassDescriptor;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.ClassOrdererContext;

/**
 * The run's class order: {@link RunsAlongside} classes first, longest first, so the second worker
 * starts on them at once; every other class after them in the order JUnit found it (which keeps
 * classes sharing a Spring context next to each other as before).
 */
public final class AlongsideFirst implements ClassOrderer {

    @Override
    public void orderClasses(ClassOrdererContext context) {
        context.getClassDescriptors().sort(Comparator.comparingInt(AlongsideFirst::secondsAlongside).reversed());
    }

    private static int secondsAlongside(ClassDescriptor type) {
        return type.findAnnotation(RunsAlongside.class).map(RunsAlongside::seconds).orElse(0);
    }
}
