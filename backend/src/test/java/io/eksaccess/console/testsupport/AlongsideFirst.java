package io.eksaccess.console.testsupport;

import java.util.Comparator;
import org.junit.jupiter.api.ClassDescriptor;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.ClassOrdererContext;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * The run's class order: {@link RunsAlongside} classes first, longest first, so the alongside workers
 * start on them at once; every other class after them in the order JUnit found it (which keeps
 * classes sharing a Spring context next to each other as before); {@link Isolated} classes last. An
 * isolated class waits until every class running on the other workers has finished, and holds them
 * back meanwhile: at the end of the serial lane the alongside work is done and nothing waits.
 */
public final class AlongsideFirst implements ClassOrderer {

    @Override
    public void orderClasses(ClassOrdererContext context) {
        context.getClassDescriptors().sort(Comparator.comparingInt(AlongsideFirst::secondsAlongside).reversed());
    }

    private static int secondsAlongside(ClassDescriptor type) {
        if (type.isAnnotated(Isolated.class)) {
            return -1;
        }
        return type.findAnnotation(RunsAlongside.class).map(RunsAlongside::seconds).orElse(0);
    }
}
