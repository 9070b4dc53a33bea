package chorus.console.viewmodel;

import chorus.api.model.EventType;
import chorus.api.model.ProtocolEvent;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The membership part of the transaction log: view changes as one row per epoch, read leases lost
 * and regained as rows of their own, newest first. Membership events have no transaction id, so
 * they cannot join the transactions' rows; the epoch is what groups them.
 */
final class MembershipLog {

    /** Leases can flap on a loaded machine: the oldest rows go beyond this many. */
    static final int MAX_ROWS = 500;

    private final ObservableList<MembershipRow> rows = FXCollections.observableArrayList();
    private final Map<Long, MembershipRow> byEpoch = new HashMap<>();

    void clear() {
        rows.clear();
        byEpoch.clear();
    }

    void add(ProtocolEvent e) {
        Optional<ViewChangeText> text = e.type() == EventType.VIEW_CHANGED ? ViewChangeText.parse(e.reason()) : Optional.empty();
        if (text.isEmpty()) {
            place(MembershipRow.single(e));
            return;
        }
        MembershipRow row = byEpoch.get(text.get().epoch());
        if (row == null) {
            row = MembershipRow.view(text.get().epoch());
            byEpoch.put(row.epoch(), row);
            row.addView(e, text.get());
            place(row);
            return;
        }
        long before = row.timeMillisProperty().get();
        row.addView(e, text.get());
        if (row.timeMillisProperty().get() != before) {
            // Replicas are polled one by one: an earlier record of the same view moves its row down.
            rows.remove(row);
            place(row);
        }
    }

    /** Puts {@code row} in time order, newest first (after any of the same time), and drops the oldest beyond the cap. */
    private void place(MembershipRow row) {
        long t = row.timeMillisProperty().get();
        int at = 0;
        while (at < rows.size() && rows.get(at).timeMillisProperty().get() >= t) {
            at++;
        }
        rows.add(at, row);
        if (rows.size() > MAX_ROWS) {
            MembershipRow dropped = rows.remove(MAX_ROWS);
            byEpoch.remove(dropped.epoch(), dropped);
        }
    }

    ObservableList<MembershipRow> rows() {
        return rows;
    }
}
