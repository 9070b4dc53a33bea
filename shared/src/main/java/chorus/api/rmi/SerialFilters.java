package chorus.api.rmi;

import chorus.api.Limits;
import java.io.ObjectInputFilter;

/**
 * What may be deserialized from the network. Every RMI endpoint of a replica installs
 * {@link #API}: Chorus' own types and the JDK types they are made of, with bounds on depth,
 * references, arrays and bytes, and nothing else. A disallowed class is refused before any of its
 * code runs.
 */
public final class SerialFilters {

    /**
     * Client calls are bounded by {@link Limits#MAX_REQUEST_BYTES} (values at most 1 MiB, batches at
     * most 16 MiB, in modified UTF-8, with framing). A replica's sockets stop such a call while it
     * is read; this bound catches the rest, since a long string is read without any filter check.
     */
    public static final String API_PATTERN = pattern(Limits.MAX_REQUEST_BYTES);

    /**
     * Peer calls: one PREPARE message carries the batches of several transactions, each bounded like
     * a client's call; the peer listener's request budget bounds them all.
     */
    public static final String PEER_PATTERN = pattern(64L * 1024 * 1024);

    public static final ObjectInputFilter API = ObjectInputFilter.Config.createFilter(API_PATTERN);
    public static final ObjectInputFilter PEER = ObjectInputFilter.Config.createFilter(PEER_PATTERN);

    private SerialFilters() {
    }

    private static String pattern(long maxBytes) {
        return String.join(";",
            "maxdepth=20", "maxrefs=200000", "maxarray=100000", "maxbytes=" + maxBytes,
            "chorus.api.**", "chorus.server.transport.**", "chorus.server.protocol.**", "chorus.server.membership.**",
            "java.lang.String", "java.lang.Number", "java.lang.Long", "java.lang.Integer", "java.lang.Boolean",
            "java.lang.Enum", "java.lang.Record", "java.lang.Object",
            "java.lang.Throwable", "java.lang.Exception", "java.lang.RuntimeException", "java.lang.StackTraceElement",
            "java.time.Duration", "java.time.Ser",
            "java.util.CollSer", "java.util.ImmutableCollections$*", "java.util.ArrayList", "java.util.HashMap",
            "java.util.LinkedHashMap", "java.util.Collections$*",
            "java.rmi.*", "java.rmi.server.*", "java.rmi.dgc.*", "sun.rmi.server.*", "sun.rmi.transport.*",
            "!*");
    }
}
