package chorus.server.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** What Linux's /proc says about a process that a test started (CI and the launch scripts run on Linux). */
public final class ProcFs {

    private ProcFs() {
    }

    /** The process's arguments, the program first, as it was started. */
    public static List<String> commandLine(long pid) throws IOException {
        byte[] raw = Files.readAllBytes(Path.of("/proc", String.valueOf(pid), "cmdline"));
        return List.of(new String(raw, StandardCharsets.UTF_8).split("\0"));
    }
}
