package chorus.server.protocol;

import chorus.api.model.Decision;
import chorus.api.model.TxId;
import java.io.Serializable;

/** One transaction's decision, as phase two sends it; several travel to a replica in one message. */
public record Decided(TxId txId, Decision decision) implements Serializable {
}
