package io.eksaccess.console.testsupport;

import java.util.function.Supplier;

/**
 * A value worked out on first use and kept. Spring asks a {@code @DynamicPropertySource} supplier again
 * on every read of its property, and a console reads {@code spring.datasource.url} five times as it
 * starts: {@code registry.add(name, TestPostgres::newDatabase)} made five databases (and a
 * kubeconfig supplier wrote five files), of which the console used whichever the last read returned.
 * Every supplier a test registers goes through this ({@code RunsAlongsideRulesTest} checks).
 */
public final class Once<T> implements Supplier<T> {

    private final Supplier<? extends T> supplier;
    private T value;
    private boolean known;

    private Once(Supplier<? extends T> supplier) {
        this.supplier = supplier;
    }

    public static <T> Supplier<T> of(Supplier<? extends T> supplier) {
        return new Once<>(supplier);
    }

    @Override
    public synchronized T get() {
        if (!known) {
            value = supplier.get();
            known = true;
        }
        return value;
    }
}
