package io.eksaccess.console.testsupport;

import io.eksaccess.console.system.LoopbackPorts;

/**
 * Free loopback ports for the processes the tests start: outside the kernel's ephemeral range, so
 * that the tests' own outgoing connections cannot take one before the process binds it.
 */
public final class FreePorts {

    private FreePorts() {}

    public static int next() {
        return LoopbackPorts.next();
    }
}
