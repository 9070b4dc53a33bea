package chorus.server.storage;

import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.jar.JarEntry;
import org.rocksdb.RocksDB;
import org.rocksdb.util.Environment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads RocksDB's native library from one copy per version and user, kept in the temporary
 * directory, instead of RocksJava's default: a fresh copy (about 15 MB) under a random name at
 * every start, deleted only at a normal JVM exit. A replica that is killed, crashes or halts
 * leaves its copy behind; on this project's machines the test suites and drills had left 4,496
 * of them, 69 GB, and filled the disk.
 *
 * <p>The copy lives in {@code <java.io.tmpdir>/chorus-rocksdbjni-<user>/<crc>-<size>/}, named by
 * the library's entry in the RocksJava jar, so another RocksDB version gets its own. It is written
 * under a temporary name and moved into place, so replicas starting together never load a half
 * written file. The directory is the user's alone (mode 700); if it is not, or anything else
 * fails, RocksJava's default loading takes over.
 */
public final class RocksNative {

    private static final Logger LOG = LoggerFactory.getLogger(RocksNative.class);
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

    private static boolean loaded;

    private RocksNative() {
    }

    /** Loads the library once per JVM; later calls do nothing. */
    public static synchronized void load() {
        if (loaded) {
            return;
        }
        Path dir = null;
        try {
            dir = extracted(Path.of(System.getProperty("java.io.tmpdir")));
        } catch (IOException | RuntimeException e) {
            LOG.warn("cannot keep RocksDB's native library in the temporary directory ({}); RocksJava extracts a copy of its own", e.toString());
        }
        if (dir != null) {
            try {
                RocksDB.loadLibrary(List.of(dir.toString()));
                loaded = true;
                return;
            } catch (UnsatisfiedLinkError e) {
                LOG.warn("cannot load RocksDB's native library from {} ({}); RocksJava extracts a copy of its own", dir, e.getMessage());
            }
        }
        RocksDB.loadLibrary();
        loaded = true;
    }

    /**
     * The directory below {@code tmp} that holds this RocksJava's library, extracted if it was
     * not there; null when the jar does not carry a library for this platform.
     */
    static Path extracted(Path tmp) throws IOException {
        URL url = RocksDB.class.getClassLoader().getResource(Environment.getJniLibraryFileName("rocksdb"));
        if (url == null) {
            return null;
        }
        URLConnection connection = url.openConnection();
        if (!(connection instanceof JarURLConnection jar)) {
            return null;
        }
        JarEntry entry = jar.getJarEntry();
        Path base = ownDirectory(tmp.resolve("chorus-rocksdbjni-" + System.getProperty("user.name")));
        Path dir = ownDirectory(base.resolve(Long.toHexString(entry.getCrc()) + "-" + entry.getSize()));
        String name = fileName();
        Path lib = dir.resolve(name);
        if (Files.isRegularFile(lib) && Files.size(lib) == entry.getSize()) {
            return dir;
        }
        Path part = Files.createTempFile(dir, name, ".part");
        try {
            try (InputStream in = connection.getInputStream()) {
                Files.copy(in, part, StandardCopyOption.REPLACE_EXISTING);
            }
            try {
                Files.move(part, lib, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(part, lib, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(part);
        }
        return dir;
    }

    /**
     * The name {@link RocksDB#loadLibrary(List)} looks for in a directory. It is not the jar
     * entry's name: RocksJava 10.10 asks {@code Environment.getJniLibraryFileName("rocksdbjni")},
     * which gives {@code librocksdbjnijni-linux64.so} for the entry {@code librocksdbjni-linux64.so}.
     * Should a later RocksJava look for another name, loading from here fails, {@link #load}
     * says so and falls back, and {@code RocksNativeTest} fails.
     */
    static String fileName() {
        return Environment.getJniLibraryFileName("rocksdbjni");
    }

    /** Creates {@code dir} for this user alone, or checks that an existing one is: the library in it is run. */
    private static Path ownDirectory(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            try {
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            } catch (java.nio.file.FileAlreadyExistsException e) {
                // another replica made it meanwhile: checked below like any existing one
            }
        }
        String owner = Files.getOwner(dir).getName();
        if (!owner.equals(System.getProperty("user.name")) || !Files.getPosixFilePermissions(dir).equals(OWNER_ONLY)) {
            throw new IOException(dir + " belongs to " + owner + " or is open to others");
        }
        return dir;
    }
}
