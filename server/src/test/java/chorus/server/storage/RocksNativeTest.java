package chorus.server.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RocksNativeTest {

    @TempDir
    Path tmp;

    private static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).toList();
        }
    }

    @Test
    void oneCopyServesEveryStartAndNoPartialFileStays() throws IOException {
        Path dir = RocksNative.extracted(tmp);
        Path lib = dir.resolve(RocksNative.fileName());
        assertThat(lib).isRegularFile();
        assertThat(Files.size(lib)).isGreaterThan(1_000_000);
        assertThat(Files.getPosixFilePermissions(dir)).isEqualTo(PosixFilePermissions.fromString("rwx------"));
        FileTime written = FileTime.fromMillis(0);
        Files.setLastModifiedTime(lib, written);

        // What a second replica, or this one restarted after a kill, does: it finds the copy.
        assertThat(RocksNative.extracted(tmp)).isEqualTo(dir);
        assertThat(Files.getLastModifiedTime(lib)).isEqualTo(written);
        assertThat(files(tmp)).containsExactly(lib);
    }

    @Test
    void theReplicasLibraryIsTheKeptCopy() throws IOException {
        RocksNative.load();
        Path kept = RocksNative.extracted(Path.of(System.getProperty("java.io.tmpdir"))).resolve(RocksNative.fileName());
        // The mapping of the library this JVM runs: the kept copy, not a random one of RocksJava's.
        assertThat(Files.readAllLines(Path.of("/proc/self/maps"))).anySatisfy(line -> assertThat(line).endsWith(" " + kept))
                .noneSatisfy(line -> assertThat(line).matches(".*/librocksdbjni[0-9]+\\.so$"));
    }

    @Test
    void aTruncatedCopyIsReplaced() throws IOException {
        Path dir = RocksNative.extracted(tmp);
        Path lib = dir.resolve(RocksNative.fileName());
        long size = Files.size(lib);
        Files.write(lib, new byte[] {1, 2, 3});
        RocksNative.extracted(tmp);
        assertThat(Files.size(lib)).isEqualTo(size);
        assertThat(files(tmp)).containsExactly(lib);
    }

    @Test
    void aDirectoryOpenToOthersIsNotTrusted() throws IOException {
        Path shared = Files.createDirectory(tmp.resolve("chorus-rocksdbjni-" + System.getProperty("user.name")),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxrwxrwx")));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertThatThrownBy(() -> RocksNative.extracted(tmp)).isInstanceOf(IOException.class).hasMessageContaining("open to others");
    }
}
