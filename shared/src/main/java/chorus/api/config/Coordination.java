package chorus.api.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Which replica coordinates a client's write: the cluster file's {@code coordination} setting.
 *
 * <p>{@link #RECEIVER} is the replicated-core protocol as specified: the replica that receives a
 * write coordinates it. {@link #LEADER}, the default of a cluster file without the setting (it
 * committed more writes in the same-run benchmark, docs/protocol.md), has every replica forward its clients'
 * writes to the replica with the lowest id, which coordinates them all: one coordinator can put
 * every waiting client's write into one transaction, where five batch only a fifth of the clients
 * each. It costs no availability, because a write needs every replica's vote in either mode, and
 * no guarantee changes; it costs each forwarded group of writes one more call.
 */
public enum Coordination {
    /** The replica that receives a write coordinates it. */
    RECEIVER,
    /** The replica with the lowest id coordinates every write; the others forward theirs to it. */
    LEADER;

    /** The file form: {@code receiver} or {@code leader}. */
    public String text() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Reads the file form; the error names the allowed values. */
    public static Coordination parse(String text) {
        for (Coordination c : values()) {
            if (c.text().equals(text)) {
                return c;
            }
        }
        throw new ConfigException("coordination = '" + text + "' must be one of "
                + Arrays.stream(values()).map(Coordination::text).collect(Collectors.joining(", ")));
    }
}
