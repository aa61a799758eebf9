package io.eksaccess.console.system;

/**
 * Configuration the console cannot start with. {@link StartupFailureAnalyzer} turns it into one
 * short "what is wrong / how to fix it" report instead of a stack trace.
 */
public class StartupConfigurationException extends RuntimeException {

    private final String fix;

    public StartupConfigurationException(String problem, String fix, Throwable cause) {
        super(problem, cause);
        this.fix = fix;
    }

    public String fix() {
        return fix;
    }
}
