package chorus.server.protocol;

import java.io.Serializable;
import java.util.List;

/**
 * A member's answer to a readmitted replica that finishes its catch-up: once the member knows the
 * new view, no transaction of an earlier epoch can gain its YES any more, so every commit of those
 * epochs is either applied here (at or before {@code lastSeq} in this member's change log) or held
 * here prepared and in doubt ({@code inDoubt}, which the readmitted replica takes over and resolves
 * like its own).
 */
public record FinalSync(long incarnation, long lastSeq, List<PreparedRecord> inDoubt) implements Serializable {

    public FinalSync {
        inDoubt = List.copyOf(inDoubt);
    }
}
