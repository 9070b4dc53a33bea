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

    private static final long MAX_DEPTH = 20;
    private static final long MAX_REFS = 200_000;
    private static final long MAX_ARRAY = 100_000;

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
    public static final long PEER_MAX_BYTES = 64L * 1024 * 1024;
    public static final String PEER_PATTERN = pattern(PEER_MAX_BYTES);

    public static final ObjectInputFilter API = new Remembering(API_PATTERN, Limits.MAX_REQUEST_BYTES);
    public static final ObjectInputFilter PEER = new Remembering(PEER_PATTERN, PEER_MAX_BYTES);

    private SerialFilters() {
    }

    /** True if peer calls may carry objects of {@code type} (client calls admit the same classes). */
    public static boolean admits(Class<?> type) {
        return PEER.checkInput(new ClassOnly(type)) == ObjectInputFilter.Status.ALLOWED;
    }

    private static String pattern(long maxBytes) {
        return String.join(";",
            "maxdepth=" + MAX_DEPTH, "maxrefs=" + MAX_REFS, "maxarray=" + MAX_ARRAY, "maxbytes=" + maxBytes,
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

    /**
     * The pattern's filter, with its answer for each class remembered. The JDK's pattern filter
     * matches a class against every pattern in turn, through a stream, for every object and class
     * descriptor read: 1.5-1.8 % of the replicas' CPU under a write-only load (async-profiler,
     * {@code launch/bench --profile}). A class's answer never changes, so it is worked out once;
     * the bounds, which depend on the stream, are checked on every call as the pattern filter does.
     */
    static final class Remembering implements ObjectInputFilter {
        private final ObjectInputFilter pattern;
        private final long maxBytes;
        private final ClassValue<Status> answers = new ClassValue<>() {
            @Override
            protected Status computeValue(Class<?> type) {
                return pattern.checkInput(new ClassOnly(type));
            }
        };

        Remembering(String pattern, long maxBytes) {
            this.pattern = ObjectInputFilter.Config.createFilter(pattern);
            this.maxBytes = maxBytes;
        }

        @Override
        public Status checkInput(FilterInfo info) {
            if (info.references() < 0 || info.depth() < 0 || info.streamBytes() < 0
                    || info.references() > MAX_REFS || info.depth() > MAX_DEPTH || info.streamBytes() > maxBytes) {
                return Status.REJECTED;
            }
            Class<?> type = info.serialClass();
            if (type == null) {
                return Status.UNDECIDED;
            }
            if (type.isArray() && info.arrayLength() > MAX_ARRAY) {
                return Status.REJECTED;
            }
            return answers.get(type);
        }

        @Override
        public String toString() {
            return pattern.toString();
        }
    }

    /** A question about a class alone: within every bound. */
    private record ClassOnly(Class<?> serialClass) implements ObjectInputFilter.FilterInfo {
        @Override
        public long arrayLength() {
            return -1;
        }

        @Override
        public long depth() {
            return 1;
        }

        @Override
        public long references() {
            return 0;
        }

        @Override
        public long streamBytes() {
            return 0;
        }
    }
}
