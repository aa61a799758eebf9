package io.eksaccess.console.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.eksaccess.console.system.LoopbackPorts.Range;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LoopbackPortsTest {

    @Test
    void portsComeFromOutsideTheKernelsEphemeralRange() {
        assertThat(LoopbackPorts.outside(new Range(32_768, 60_999))).isEqualTo(new Range(10_000, 32_767));
        assertThat(LoopbackPorts.outside(new Range(1_024, 40_000))).isEqualTo(new Range(40_001, 65_535));
        assertThat(LoopbackPorts.outside(new Range(1_024, 65_535))).isEqualTo(new Range(10_000, 65_535));
    }

    @Test
    void eachPortHandedOutIsFreeOutsideThisMachinesEphemeralRangeAndNotHandedOutTwice() throws Exception {
        Path ephemeral = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
        String[] bounds = Files.readAllLines(ephemeral).get(0).trim().split("\\s+"); // Linux, as CI
        int low = Integer.parseInt(bounds[0]);
        int high = Integer.parseInt(bounds[1]);
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            int port = LoopbackPorts.next();
            assertThat(port < low || port > high).as("port %d is outside %d-%d", port, low, high).isTrue();
            assertThat(seen.add(port)).as("port %d handed out twice", port).isTrue();
            try (ServerSocket socket = new ServerSocket()) {
                socket.setReuseAddress(false);
                socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            }
        }
    }
}
