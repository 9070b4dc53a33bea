package chorus.console.viewmodel;

import chorus.api.model.EventType;
import chorus.api.model.ProtocolEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import javafx.beans.property.LongProperty;
import javafx.beans.property.ReadOnlyLongProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleLongProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

/**
 * One row of the log's membership table. A view change is one row per epoch, merged from every
 * replica's VIEW_CHANGED event about it, as a transaction's row merges its events: the write set,
 * what was changed, who proposed, who agreed, and per replica what it recorded (proposed, agreed,
 * knows it as a member or as excluded). A LEASE event (and any other membership event) is a row of
 * its own, marked in its replica's column.
 */
public final class MembershipRow {

    private final long epoch;
    private final StringProperty event = new SimpleStringProperty("");
    private final LongProperty timeMillis = new SimpleLongProperty(Long.MAX_VALUE);
    private final StringProperty writeSet = new SimpleStringProperty("");
    private final StringProperty change = new SimpleStringProperty("");
    private final StringProperty proposer = new SimpleStringProperty("");
    private final StringProperty agreedBy = new SimpleStringProperty("");
    private final StringProperty reason = new SimpleStringProperty("");
    private final Map<Integer, StringProperty> marks = new HashMap<>();
    private final Map<Integer, Set<String>> markWords = new HashMap<>();
    private final List<String> details = new ArrayList<>();
    private boolean reasonFromProposer;

    private MembershipRow(long epoch) {
        this.epoch = epoch;
    }

    /** The row of a view, keyed by its epoch; events about it are added with {@link #addView}. */
    static MembershipRow view(long epoch) {
        MembershipRow row = new MembershipRow(epoch);
        row.event.set("VIEW CHANGED · epoch " + epoch);
        return row;
    }

    /** A row for one event: a LEASE, or a membership event this console cannot read more from. */
    static MembershipRow single(ProtocolEvent e) {
        MembershipRow row = new MembershipRow(0);
        row.event.set(e.type().name().replace('_', ' '));
        row.reason.set(e.reason());
        row.timeMillis.set(e.timeMillis());
        row.details.add(line(e));
        row.mark(e.replica(), singleMark(e));
        return row;
    }

    private static String singleMark(ProtocolEvent e) {
        if (e.type() == EventType.LEASE) {
            // "replica 1 lost its read lease (...)" or "replica 1 holds a read lease again"
            return e.reason().contains("lost its read lease") ? "lease lost" : "lease held";
        }
        return e.type() == EventType.VIEW_CHANGE_FAILED ? "change failed" : e.type().name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Folds one replica's VIEW_CHANGED event about this row's epoch into it. */
    void addView(ProtocolEvent e, ViewChangeText text) {
        timeMillis.set(Math.min(timeMillis.get(), e.timeMillis()));
        writeSet.set(MembershipTracker.list(text.members()));
        details.add(line(e));
        if (text.learnedBy() == 0) {
            // The proposer's record: who proposed, who agreed, and why; it says the most, so it is the reason shown.
            change.set(text.change());
            if (text.proposer() != 0) {
                proposer.set(String.valueOf(text.proposer()));
                mark(text.proposer(), "proposed");
            }
            agreedBy.set(MembershipTracker.list(text.agreedBy()));
            text.agreedBy().forEach(r -> mark(r, "agreed"));
            reason.set(e.reason());
            reasonFromProposer = true;
        } else {
            mark(text.learnedBy(), text.member() ? "member" : "excluded");
            if (!reasonFromProposer && reason.get().isEmpty()) {
                reason.set(e.reason());
            }
        }
    }

    private void mark(int replica, String word) {
        Set<String> words = markWords.computeIfAbsent(replica, r -> new LinkedHashSet<>());
        words.add(word);
        // Always in protocol order, whatever order the replicas' events came in.
        List<String> order = List.of("proposed", "agreed", "member", "excluded");
        String text = words.stream().sorted((a, b) -> Integer.compare(rank(order, a), rank(order, b)))
                .collect(Collectors.joining(", "));
        markProperty(replica);
        marks.get(replica).set(text);
    }

    private static int rank(List<String> order, String word) {
        int i = order.indexOf(word);
        return i < 0 ? order.size() : i;
    }

    private static String line(ProtocolEvent e) {
        return TransactionLogViewModel.clockTime(e.timeMillis()) + "  replica " + e.replica() + "  " + e.type() + ": " + e.reason();
    }

    /** The epoch of a view row; 0 for a row of a single event. */
    public long epoch() {
        return epoch;
    }

    /** Every event of the row, one line each, in the order they arrived. */
    public String details() {
        return String.join("\n", details);
    }

    /** "VIEW CHANGED · epoch 2", "LEASE", ... */
    public ReadOnlyStringProperty eventProperty() {
        return event;
    }

    /** The earliest time any replica recorded the row's events. */
    public ReadOnlyLongProperty timeMillisProperty() {
        return timeMillis;
    }

    /** The members of the view, "1, 2, 4, 5". */
    public ReadOnlyStringProperty writeSetProperty() {
        return writeSet;
    }

    /** What the proposer was asked, "exclude replica 3". */
    public ReadOnlyStringProperty changeProperty() {
        return change;
    }

    public ReadOnlyStringProperty proposerProperty() {
        return proposer;
    }

    public ReadOnlyStringProperty agreedByProperty() {
        return agreedBy;
    }

    /** What replica {@code replica} recorded: "proposed, agreed, member", "excluded", "lease lost"... */
    public ReadOnlyStringProperty markProperty(int replica) {
        return marks.computeIfAbsent(replica, r -> new SimpleStringProperty(""));
    }

    public ReadOnlyStringProperty reasonProperty() {
        return reason;
    }
}
