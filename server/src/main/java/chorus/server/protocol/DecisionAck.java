package chorus.server.protocol;

import java.io.Serializable;

/**
 * A replica's answer to a message of decisions, and to a question about its durability: every
 * decision of the message is applied there, and its writes are durable if {@code appliedThrough}
 * is at most {@code syncedThrough}. Marks are positions in that replica's own write order and mean
 * nothing across its restarts, hence the incarnation.
 */
public record DecisionAck(long incarnation, long appliedThrough, long syncedThrough) implements Serializable {

    /** From a replica that made everything durable before answering. */
    public static final DecisionAck DURABLE = new DecisionAck(0, 0, 0);

    /** Travels in {@link Wire.AckForm}'s compact form. */
    private Object writeReplace() {
        return new Wire.AckForm(this);
    }

    public boolean durable() {
        return appliedThrough <= syncedThrough;
    }
}
