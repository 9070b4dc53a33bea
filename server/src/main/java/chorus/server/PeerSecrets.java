package chorus.server;

import chorus.api.config.ClusterConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Creates cluster secrets for the clusters that the project's own harnesses start (tests,
 * benchmarks, the chaos harness); {@code launch/cluster start} does the same in shell.
 */
public final class PeerSecrets {

    private static final SecureRandom RANDOM = new SecureRandom();

    private PeerSecrets() {
    }

    /** Writes 32 random bytes as 64 hex digits to {@code file}, readable by its owner only, unless it exists. */
    public static Path createIfAbsent(Path file) {
        if (Files.exists(file)) {
            return file;
        }
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, HexFormat.of().formatHex(secret) + "\n", StandardCharsets.UTF_8);
        } catch (FileAlreadyExistsException e) {
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the cluster secret " + file, e);
        }
        return file;
    }

    /** {@code cluster} itself if it names a secret, else with a new secret in {@code dir}. */
    public static ClusterConfig ensure(ClusterConfig cluster, Path dir) {
        if (cluster.security().peerSecretFile() != null) {
            return cluster;
        }
        Path file = createIfAbsent(dir.resolve("peer-secret"));
        return cluster.withSecurity(cluster.security().withPeerSecretFile(file.toAbsolutePath().toString()));
    }
}
