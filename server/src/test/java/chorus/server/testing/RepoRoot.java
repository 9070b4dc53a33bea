package chorus.server.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/** The repository root, for tests that run the launch scripts: the first directory above the working directory with launch/. */
public final class RepoRoot {

    private RepoRoot() {
    }

    public static Path find() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isExecutable(p.resolve("launch").resolve("cluster"))) {
                return p;
            }
        }
        throw new IllegalStateException("no repository root with launch/cluster above " + Path.of("").toAbsolutePath());
    }
}
