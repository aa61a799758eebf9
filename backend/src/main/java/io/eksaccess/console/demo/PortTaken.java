package io.eksaccess.console.demo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * etcd or the API server exited because a port it was told to listen on was taken between the
 * check and its bind: worth another try on other ports, unlike any other exit.
 */
final class PortTaken extends IOException {

    private PortTaken(String message) {
        super(message);
    }

    /** Throws when a process that has exited says so in its log ({@code logs} in the same order). */
    static void check(List<Process> processes, List<Path> logs) throws PortTaken {
        for (int i = 0; i < processes.size(); i++) {
            if (!processes.get(i).isAlive() && says(logs.get(i), "address already in use")) {
                throw new PortTaken(logs.get(i).getFileName() + " says a port it was given was already in use");
            }
        }
    }

    private static boolean says(Path log, String text) {
        try {
            return new String(Files.readAllBytes(log), StandardCharsets.ISO_8859_1).contains(text); // any bytes
        } catch (IOException | RuntimeException unreadable) {
            return false;
        }
    }
}
