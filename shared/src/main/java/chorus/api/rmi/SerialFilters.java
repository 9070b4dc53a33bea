package chorus.api.rmi;

import java.io.ObjectInputFilter;

/**
 * What may be deserialized from the network. Every RMI endpoint of a replica installs
 * {@link #API}: Chorus' own types and the JDK types they are made of, with bounds on depth,
 * references, arrays and bytes, and nothing else. A disallowed class is refused before any of its
 * code runs.
 */
public final class SerialFilters {

    /** Values are at most 1 MiB and batches at most 16 MiB; leave room for the framing. */
    public static final String API_PATTERN = String.join(";",
            "maxdepth=20", "maxrefs=200000", "maxarray=100000", "maxbytes=67108864",
            "chorus.api.**", "chorus.server.transport.**", "chorus.server.protocol.**",
            "java.lang.String", "java.lang.Number", "java.lang.Long", "java.lang.Integer", "java.lang.Boolean",
            "java.lang.Enum", "java.lang.Record", "java.lang.Object",
            "java.lang.Throwable", "java.lang.Exception", "java.lang.RuntimeException", "java.lang.StackTraceElement",
            "java.time.Duration", "java.time.Ser",
            "java.util.CollSer", "java.util.ImmutableCollections$*", "java.util.ArrayList", "java.util.HashMap",
            "java.util.LinkedHashMap", "java.util.Collections$*",
            "java.rmi.*", "java.rmi.server.*", "java.rmi.dgc.*", "sun.rmi.server.*", "sun.rmi.transport.*",
            "!*");

    public static final ObjectInputFilter API = ObjectInputFilter.Config.createFilter(API_PATTERN);

    private SerialFilters() {
    }
}
