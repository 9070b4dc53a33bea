package chorus.server.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A small tmpfs mounted on a directory, so that a replica's data directory can run out of space
 * for real (ENOSPC from the kernel, as on a full disk). Needs root, which CI has; a test that needs
 * one fails, never skips, when the mount is refused: a skipped test would hide the hole it guards.
 */
public final class SmallTmpfs implements AutoCloseable {

    private static final int CHUNK_BYTES = 256 * 1024;

    private final Path mountPoint;
    private final Path filler;

    private SmallTmpfs(Path mountPoint) {
        this.mountPoint = mountPoint;
        this.filler = mountPoint.resolve("filler");
    }

    /** Mounts a tmpfs of {@code megabytes} on {@code mountPoint} (created if missing). */
    public static SmallTmpfs mount(Path mountPoint, int megabytes) throws IOException {
        Files.createDirectories(mountPoint);
        run("mount", "-t", "tmpfs", "-o", "size=" + megabytes + "m", "tmpfs", mountPoint.toString());
        return new SmallTmpfs(mountPoint);
    }

    /** Writes a file until the kernel says the tmpfs is full; returns how many bytes it took. */
    public long fill() throws IOException {
        long written = 0;
        byte[] chunk = new byte[CHUNK_BYTES];
        try (OutputStream out = Files.newOutputStream(filler)) {
            while (true) {
                out.write(chunk);
                written += chunk.length;
            }
        } catch (IOException full) {
            if (!String.valueOf(full.getMessage()).contains("No space left on device")) {
                throw full;
            }
        }
        // A partial last chunk may have made it: whatever is free now is less than one chunk.
        return written;
    }

    /** Deletes the filler, giving its space back. */
    public void free() throws IOException {
        Files.deleteIfExists(filler);
    }

    @Override
    public void close() throws IOException {
        run("umount", "-l", mountPoint.toString());
    }

    private static void run(String... command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", command) + " did not finish within 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + String.join(" ", command), e);
        }
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", List.of(command)) + " failed with exit code " + p.exitValue()
                    + " (a full-disk test needs root to mount a tmpfs): " + output);
        }
    }
}
