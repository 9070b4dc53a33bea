package chorus.console.viewmodel;

import chorus.api.model.CatchUp;
import chorus.api.model.View;

/**
 * A replica's part in the newest view the console knows: a member (every write needs it), a learner
 * (excluded, copying the data to rejoin) or excluded. Each has the word the cards show and a style
 * class, so that the state is written out and never told by colour alone.
 */
public enum MembershipRole {
    MEMBER("member"), LEARNER("learner"), EXCLUDED("excluded");

    private final String label;

    MembershipRole(String label) {
        this.label = label;
    }

    /**
     * The role of {@code replica} in {@code newest}: the newest view decides membership, since a
     * replica that was down during a change still believes in the view before (it learns the new
     * one from its first lease request); its own catch-up tells a learner from an excluded replica.
     */
    public static MembershipRole of(int replica, View newest, CatchUp ownCatchUp) {
        if (newest.isMember(replica)) {
            return MEMBER;
        }
        return ownCatchUp != null ? LEARNER : EXCLUDED;
    }

    public String label() {
        return label;
    }

    public String styleClass() {
        return "role-" + label;
    }

    @Override
    public String toString() {
        return label;
    }
}
