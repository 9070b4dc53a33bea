package chorus.chaos;

import chorus.api.model.View;

/**
 * One replica said it knew {@code view} as agreed: in an answer to {@code members()} while the run
 * went on, in a VIEW_CHANGED event of its event log, or in a VIEW_CHANGED line of its log file.
 *
 * @param at     where the observation sits in its source's order: for {@link Source#POLL} nanoseconds
 *               on the history's clock, for {@link Source#EVENT} the event's sequence number, for
 *               {@link Source#LOG} the line number
 * @param detail what the replica said, as it said it (empty for a poll)
 */
public record ViewObservation(int replica, View view, Source source, long at, String detail) {

    public enum Source { POLL, EVENT, LOG }

    /** A witness line: who said which view, where, and in its own words. */
    public String describe() {
        String where = switch (source) {
            case POLL -> String.format("members() at %.3f s", at / 1e9);
            case EVENT -> "VIEW_CHANGED event " + at;
            case LOG -> "replica-" + replica + ".log line " + at;
        };
        return "replica " + replica + " knew " + view.text() + " (" + where + ")" + (detail.isEmpty() ? "" : ": " + detail);
    }
}
