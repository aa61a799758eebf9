package io.eksaccess.console.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Free loopback ports for the processes the console (and its tests) start and tell which port to
 * listen on. A port is free when it is checked, not when the process binds it seconds later. Ports
 * the kernel hands out on its own ({@code bind(0)}, and the local end of every outgoing connection)
 * come from its ephemeral range, so a port from there can be taken in between by any connection
 * (seen as an API server exiting with "address already in use" under load). These come from
 * below that range, which only explicit listeners use, and each port is handed out once per JVM
 * until the range wraps.
 */
public final class LoopbackPorts {

    private static final Path EPHEMERAL_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
    private static final int LOWEST = 10_000;
    private static final int HIGHEST = 65_535;
    private static final int ROOM = 1_000;
    private static final Range RANGE = outside(ephemeralRange());
    private static final AtomicInteger NEXT = new AtomicInteger(ThreadLocalRandom.current().nextInt(RANGE.size()));

    private LoopbackPorts() {}

    /** A loopback port that nothing listens on now, outside the kernel's ephemeral range where it can. */
    public static int next() {
        for (int tries = 0; tries < RANGE.size(); tries++) {
            int port = RANGE.low() + Math.floorMod(NEXT.getAndIncrement(), RANGE.size());
            if (isFree(port)) {
                return port;
            }
        }
        return anyFree(); // the whole range is taken: fall back to the kernel's choice
    }

    /** The range ports come from: below the ephemeral range, else above it, else everything above 10000. */
    static Range outside(Range ephemeral) {
        if (ephemeral.low() - LOWEST >= ROOM) {
            return new Range(LOWEST, ephemeral.low() - 1);
        }
        if (HIGHEST - ephemeral.high() >= ROOM) {
            return new Range(ephemeral.high() + 1, HIGHEST);
        }
        return new Range(LOWEST, HIGHEST); // no room outside it: only the check before handing out remains
    }

    private static Range ephemeralRange() {
        try {
            String[] bounds = Files.readAllLines(EPHEMERAL_RANGE).get(0).trim().split("\\s+");
            return new Range(Integer.parseInt(bounds[0]), Integer.parseInt(bounds[1]));
        } catch (IOException | RuntimeException notLinux) {
            return new Range(49_152, HIGHEST); // IANA's dynamic range, used by most other systems
        }
    }

    private static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(false); // a port with connections in TIME_WAIT is not free for every binder
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
            return true;
        } catch (IOException taken) {
            return false;
        }
    }

    private static int anyFree() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free loopback port", e);
        }
    }

    /** Ports {@code low..high}, both included. */
    record Range(int low, int high) {
        int size() {
            return high - low + 1;
        }
    }
}
