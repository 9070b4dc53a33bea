package chorus.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LoopbackPortsTest {

    @Test
    void portsAreDistinctFreeAndBelowTheKernelsEphemeralRange() throws IOException {
        List<Integer> ports = LoopbackPorts.free(12);
        assertThat(new HashSet<>(ports)).hasSize(12);
        for (int port : ports) {
            assertThat(port).isBetween(LoopbackPorts.FLOOR, LoopbackPorts.ephemeralLow() - 1);
            try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                assertThat(s.getLocalPort()).isEqualTo(port);
            }
        }
    }

    @Test
    void aPortInUseIsPassedOver() throws IOException {
        int next = LoopbackPorts.free(1).get(0) + 1;
        try (ServerSocket taken = new ServerSocket(next, 1, InetAddress.getLoopbackAddress())) {
            assertThat(LoopbackPorts.free(3)).doesNotContain(next);
        }
    }

    /** Another JVM asking at the same time gets ports of another block. */
    @Test
    void twoJvmsGetDisjointPorts() throws Exception {
        Set<Integer> ours = new HashSet<>(LoopbackPorts.free(5));
        Process other = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), PrintPorts.class.getName()).redirectErrorStream(true).start();
        assertThat(other.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String out = new String(other.getInputStream().readAllBytes()).trim();
        assertThat(other.exitValue()).as(out).isZero();
        int blockOfOurs = (ours.iterator().next() - LoopbackPorts.FLOOR) / LoopbackPorts.BLOCK;
        for (String p : out.split(",")) {
            int port = Integer.parseInt(p.trim());
            assertThat(ours).doesNotContain(port);
            assertThat((port - LoopbackPorts.FLOOR) / LoopbackPorts.BLOCK).as("the other JVM's block").isNotEqualTo(blockOfOurs);
        }
    }

    /** The other JVM of {@link #twoJvmsGetDisjointPorts}. */
    public static final class PrintPorts {
        public static void main(String[] args) {
            System.out.println(String.join(",", LoopbackPorts.free(5).stream().map(String::valueOf).toList()));
        }
    }
}
