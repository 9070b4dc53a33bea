package chorus.cli;

import chorus.api.model.KeyEntry;
import chorus.api.model.ProtocolEvent;
import chorus.api.model.ReadResult;
import chorus.api.model.ReplicaStatus;
import chorus.api.model.WriteResult;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Every line {@code kv} prints to stdout, in one place so that the formats stay stable (they are
 * documented in {@code docs/cli.md}). Tab-separated lines carry keys and values escaped by
 * {@link #escape}, so a field never contains a tab or a line break.
 */
public final class Formats {

    /** Printed in a table cell or field that has no value. */
    public static final String NONE = "-";

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

    private Formats() {
    }

    /** Backslash, tab, line feed and carriage return as {@code \\ \t \n \r}; everything else as is. */
    public static String escape(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder sb = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            String rep = switch (c) {
                case '\\' -> "\\\\";
                case '\t' -> "\\t";
                case '\n' -> "\\n";
                case '\r' -> "\\r";
                default -> null;
            };
            if (rep != null && sb == null) {
                sb = new StringBuilder(s.length() + 16).append(s, 0, i);
            }
            if (sb != null) {
                if (rep != null) {
                    sb.append(rep);
                } else {
                    sb.append(c);
                }
            }
        }
        return sb == null ? s : sb.toString();
    }

    /** {@code KEY<TAB>VALUE<TAB>VERSION}, or {@code NOT_FOUND version=N key=KEY} (no tab in it). */
    public static String read(ReadResult r) {
        if (r.found()) {
            return escape(r.key()) + "\t" + escape(r.value()) + "\t" + r.version();
        }
        return "NOT_FOUND version=" + r.version() + " key=" + escape(r.key());
    }

    /** {@code COMMITTED tx=t1.1.5 version=3 latency_ms=4.1 rtt_ms=5.0 attempts=1 coordinator=1}. */
    public static String write(WriteResult w, long rttNanos) {
        StringBuilder sb = new StringBuilder("COMMITTED tx=").append(w.txId());
        if (w.versions().size() == 1) {
            sb.append(" version=").append(w.version());
        } else {
            sb.append(" keys=").append(w.versions().size());
        }
        return sb.append(" latency_ms=").append(millis(w.latencyMicros()))
                .append(" rtt_ms=").append(millis(rttNanos / 1000))
                .append(" attempts=").append(w.attempts())
                .append(" coordinator=").append(w.coordinator())
                .toString();
    }

    /** The summary line of {@link #write}, then {@code VERSION<TAB>KEY<TAB>N} per key in key order. */
    public static List<String> batch(WriteResult w, long rttNanos) {
        List<String> lines = new ArrayList<>();
        lines.add(write(w, rttNanos));
        new TreeMap<>(w.versions()).forEach((k, v) -> lines.add("VERSION\t" + escape(k) + "\t" + v));
        return lines;
    }

    /** Milliseconds with one decimal from microseconds; {@code -} for a negative (unknown) value. */
    public static String millis(long micros) {
        if (micros < 0) {
            return NONE;
        }
        return String.format(Locale.ROOT, "%.1f", micros / 1000.0);
    }

    /** {@code 45s}, {@code 5m03s}, {@code 2h05m}, {@code 3d04h}. */
    public static String uptime(long millis) {
        Duration d = Duration.ofMillis(Math.max(0, millis));
        if (d.toHours() >= 24) {
            return String.format(Locale.ROOT, "%dd%02dh", d.toDays(), d.toHoursPart());
        }
        if (d.toHours() >= 1) {
            return String.format(Locale.ROOT, "%dh%02dm", d.toHours(), d.toMinutesPart());
        }
        if (d.toMinutes() >= 1) {
            return String.format(Locale.ROOT, "%dm%02ds", d.toMinutes(), d.toSecondsPart());
        }
        return d.toSeconds() + "s";
    }

    public static String time(long epochMillis) {
        return TIME.format(Instant.ofEpochMilli(epochMillis));
    }

    // ---- status ---------------------------------------------------------------------------

    public static final List<String> STATUS_HEADER = List.of(
            "ID", "ADDRESS", "STATE", "KEYS", "IN_FLIGHT", "IN_DOUBT", "COMMITS", "ABORTS", "TIMEOUTS", "UPTIME", "NOTE");

    /**
     * One replica's row; the note (last column, may hold spaces) says why a replica is down, or
     * what fails on one that answers (a full disk).
     */
    public static List<String> statusRow(ReplicaProbe p) {
        String id = String.valueOf(p.address().id());
        String address = p.address().hostPort();
        if (p.status().isEmpty()) {
            List<String> row = new ArrayList<>(List.of(id, address, "down"));
            for (int i = 3; i < STATUS_HEADER.size() - 1; i++) {
                row.add(NONE);
            }
            row.add(p.error().orElse("no answer"));
            return row;
        }
        ReplicaStatus s = p.status().get();
        String note = s.id() != p.address().id() ? "answers as replica " + s.id() : NONE;
        String state = s.simulatedFailure() ? "FAILED(simulated)" : "up";
        if (s.storageFailing()) {
            // "disk full: <the storage engine's words>": the state is the part before the colon,
            // hyphenated, since only NOTE may hold spaces (scripts read the state as column 3).
            int colon = s.storageProblem().indexOf(':');
            state = (colon < 0 ? s.storageProblem() : s.storageProblem().substring(0, colon)).strip().replace(' ', '-');
            String cause = colon < 0 ? "" : s.storageProblem().substring(colon + 1).strip();
            note = (note.equals(NONE) ? "" : note + "; ") + "votes NO until its disk takes writes again"
                    + (cause.isEmpty() ? "" : " (" + cause + ")");
        }
        return List.of(id, address, state,
                String.valueOf(s.keyCount()), String.valueOf(s.inFlight()), String.valueOf(s.inDoubt()),
                String.valueOf(s.commits()), String.valueOf(s.aborts()), String.valueOf(s.timeouts()),
                uptime(s.uptimeMillis()), note);
    }

    public static List<String> statusTable(List<ReplicaProbe> probes) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(STATUS_HEADER);
        probes.forEach(p -> rows.add(statusRow(p)));
        return table(rows);
    }

    /** Left-aligned columns two spaces apart; the last column is not padded. */
    public static List<String> table(List<List<String>> rows) {
        int cols = rows.get(0).size();
        int[] width = new int[cols];
        for (List<String> row : rows) {
            for (int c = 0; c < cols - 1; c++) {
                width[c] = Math.max(width[c], row.get(c).length());
            }
        }
        List<String> lines = new ArrayList<>();
        for (List<String> row : rows) {
            StringBuilder sb = new StringBuilder();
            for (int c = 0; c < cols; c++) {
                String cell = row.get(c);
                sb.append(cell);
                if (c < cols - 1) {
                    sb.append(" ".repeat(width[c] - cell.length() + 2));
                }
            }
            lines.add(sb.toString().stripTrailing());
        }
        return lines;
    }

    // ---- dump -----------------------------------------------------------------------------

    /** Marks a replica that could not be read in a side-by-side dump. */
    public static final String UNREADABLE = "?";

    /**
     * A cell of the side-by-side dump: {@code VERSION:VALUE}; {@code VERSION deleted} for a
     * tombstone; {@code [TX] } before either while a prepared transaction holds the key;
     * {@code -} when the replica does not hold the key; {@code ?} when the replica was unreadable.
     */
    public static String cell(KeyEntry e) {
        if (e == null) {
            return NONE;
        }
        String body = e.value() == null ? e.version() + " deleted" : e.version() + ":" + escape(e.value());
        return e.pending().map(tx -> "[" + tx + "] " + body).orElse(body);
    }

    public static String sideBySideHeader(List<Integer> replicas) {
        StringBuilder sb = new StringBuilder("KEY");
        replicas.forEach(r -> sb.append("\tr").append(r));
        return sb.append("\tAGREE").toString();
    }

    /**
     * {@code KEY<TAB>CELL(r1)<TAB>...<TAB>AGREE}: AGREE is {@code same} when every readable
     * replica holds the same committed version and value with nothing pending, else {@code DIFFER}.
     *
     * @param byReplica this key's entry on each replica, in column order; an absent map key means
     *                  the replica was unreadable, a null value that it does not hold the key
     */
    public static String sideBySideRow(String key, List<Integer> replicas, Map<Integer, KeyEntry> byReplica) {
        StringBuilder sb = new StringBuilder(escape(key));
        String first = null;
        boolean same = true;
        for (int r : replicas) {
            if (!byReplica.containsKey(r)) {
                sb.append('\t').append(UNREADABLE);
                continue;
            }
            KeyEntry e = byReplica.get(r);
            String cell = cell(e);
            sb.append('\t').append(cell);
            if (e != null && e.pending().isPresent()) {
                same = false;
            }
            if (first == null) {
                first = cell;
            } else if (!first.equals(cell)) {
                same = false;
            }
        }
        return sb.append('\t').append(same ? "same" : "DIFFER").toString();
    }

    public static final String PER_REPLICA_HEADER = "# REPLICA\tKEY\tVERSION\tVALUE\tPENDING";

    /** {@code REPLICA<TAB>KEY<TAB>VERSION<TAB>VALUE<TAB>PENDING}; value {@code -} for a tombstone, pending {@code -} when none. */
    public static String perReplicaRow(int replica, KeyEntry e) {
        return replica + "\t" + escape(e.key()) + "\t" + e.version() + "\t"
                + (e.value() == null ? NONE : escape(e.value())) + "\t"
                + e.pending().map(Object::toString).orElse(NONE);
    }

    // ---- events ---------------------------------------------------------------------------

    public static final String EVENTS_HEADER =
            "# SEQ\tTIME\tREPLICA\tROLE\tTYPE\tTX\tPEER\tKEYS/OP\tREASON\tELAPSED_MS";

    /**
     * {@code SEQ TIME REPLICA ROLE TYPE TX PEER KEYS/OP REASON ELAPSED_MS}, tab-separated, {@code -}
     * for an empty field. KEYS/OP is the operation summary, or the keys comma-separated when the
     * event has no summary.
     */
    public static String event(ProtocolEvent e) {
        String op = !e.operation().isEmpty() ? e.operation() : String.join(",", e.keys());
        return String.join("\t",
                String.valueOf(e.seq()),
                time(e.timeMillis()),
                String.valueOf(e.replica()),
                String.valueOf(e.role()),
                String.valueOf(e.type()),
                e.transaction().map(Object::toString).orElse(NONE),
                e.peer() == 0 ? NONE : String.valueOf(e.peer()),
                op.isEmpty() ? NONE : escape(op),
                e.reason().isEmpty() ? NONE : escape(e.reason()),
                e.elapsedMicros() < 0 ? NONE : String.format(Locale.ROOT, "%.3f", e.elapsedMicros() / 1000.0));
    }
}
