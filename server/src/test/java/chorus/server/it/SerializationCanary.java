package chorus.server.it;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A class no replica should ever build from the network: if its readObject runs, it leaves a file
 * behind. The replicas have it on their classpath (they run from the test classpath), so only the
 * serialization filter stands between it and the replica.
 */
public final class SerializationCanary implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String marker;

    public SerializationCanary(Path marker) {
        this.marker = marker.toString();
    }

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        Files.writeString(Path.of(marker), "built");
    }
}
