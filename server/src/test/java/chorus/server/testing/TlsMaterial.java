package chorus.server.testing;

import chorus.api.config.ClusterConfig;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * TLS material for a test cluster, made by the real {@code launch/cluster tls-init}: a cluster CA,
 * a certificate per replica, one for clients, the password, operator token and cluster secret.
 */
public final class TlsMaterial {

    private TlsMaterial() {
    }

    /**
     * Runs {@code tls-init} on {@code cluster} with {@code runDir} as the run directory and returns
     * the cluster file it wrote ({@code runDir/tls/cluster.properties}), loaded.
     */
    public static ClusterConfig create(ClusterConfig cluster, Path runDir) {
        try {
            Files.createDirectories(runDir);
            Path input = runDir.resolve("plain-cluster.properties");
            Files.writeString(input, cluster.toProperties(), StandardCharsets.UTF_8);
            Path script = RepoRoot.find().resolve("launch").resolve("cluster");
            ProcessBuilder p = new ProcessBuilder(script.toString(), "--config", input.toString(), "tls-init")
                    .redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(runDir.resolve("tls-init.out").toFile());
            p.environment().put("CHORUS_RUN_DIR", runDir.toString());
            p.environment().put("CHORUS_NO_BUILD", "1");
            Process started = p.start();
            if (!started.waitFor(120, TimeUnit.SECONDS)) {
                started.destroyForcibly();
                throw new IllegalStateException("launch/cluster tls-init did not finish within 120 s");
            }
            if (started.exitValue() != 0) {
                throw new IllegalStateException("launch/cluster tls-init failed: " + Files.readString(runDir.resolve("tls-init.out")));
            }
            return ClusterConfig.load(runDir.resolve("tls").resolve("cluster.properties"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
