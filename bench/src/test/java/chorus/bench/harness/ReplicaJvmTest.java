package chorus.bench.harness;

import static org.assertj.core.api.Assertions.assertThat;

import chorus.server.testing.LocalCluster;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Which JIT the harness's replicas get: the full one wherever the figures count. */
class ReplicaJvmTest {

    private static final Path WORK = Path.of("run", "bench");

    @Test
    void aFullRunsReplicasRunTheFullJitAndAQuickRunsC1Only() {
        assertThat(Bench.replicaJvm(BenchOptions.full(WORK), null).options()).isEmpty();
        assertThat(Bench.replicaJvm(BenchOptions.quick(WORK), null).options()).isEqualTo(LocalCluster.TEST_JVM_OPTIONS);
        assertThat(Bench.replicaJvm(BenchOptions.full(WORK), null).classpath()).isEqualTo(System.getProperty("java.class.path"));
    }

    @Test
    void aBaselineRunsFromItsOwnJarsWithTheSameJit() {
        assertThat(Bench.replicaJvm(BenchOptions.full(WORK), "/b/chorus-server.jar:/b/lib/*"))
                .isEqualTo(new LocalCluster.Jvm("/b/chorus-server.jar:/b/lib/*", java.util.List.of()));
        assertThat(Bench.replicaJvm(BenchOptions.quick(WORK), "/b/chorus-server.jar:/b/lib/*").classpath())
                .isEqualTo("/b/chorus-server.jar:/b/lib/*");
    }
}
