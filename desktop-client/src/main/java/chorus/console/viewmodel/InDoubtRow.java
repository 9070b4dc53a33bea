package chorus.console.viewmodel;

import chorus.api.model.InDoubtTransaction;

/** A transaction that one replica holds prepared without a decision, and how long it has. */
public record InDoubtRow(int replica, InDoubtTransaction tx, long ageMillis) {

    public String keys() {
        return String.join(", ", tx.keys());
    }

    public String age() {
        long s = ageMillis / 1000;
        return s < 60 ? s + " s" : (s / 60) + " min " + (s % 60) + " s";
    }
}
