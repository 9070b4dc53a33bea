package chorus.server.protocol;

import chorus.api.model.Mutation;
import chorus.api.model.TxId;
import chorus.api.model.View;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * Phase one: the coordinator asks a participant to lock the keys and promise to apply the mutations.
 * {@code view} is the membership view of the transaction's epoch: its members are the participants,
 * and a replica of another epoch refuses the request.
 */
public record PrepareRequest(int protocolVersion, View view, TxId txId, TxAge age, List<Mutation> mutations) implements Serializable {

    public PrepareRequest {
        mutations = List.copyOf(mutations);
        if (view == null) {
            throw new IllegalArgumentException("a PREPARE names the view of its epoch");
        }
    }

    public PrepareRequest(View view, TxId txId, TxAge age, List<Mutation> mutations) {
        this(ProtocolVersion.CURRENT, view, txId, age, mutations);
    }

    /** Travels in {@link Wire.Prepare}'s compact form. */
    private Object writeReplace() {
        return new Wire.Prepare(this);
    }

    /**
     * The same request without the values, for the LOCK step: the lock primary needs only the keys
     * (and the kinds, for its event log); the values reach it with the PREPARE. A batch's values
     * then cross the network to the primary once, not twice, and are not held there while it waits
     * for a lock.
     */
    public PrepareRequest forLocking() {
        List<Mutation> bare = new ArrayList<>(mutations.size());
        for (Mutation m : mutations) {
            bare.add(m instanceof Mutation.Put p ? new Mutation.Put(p.key(), "", p.expectedVersion()) : m);
        }
        return new PrepareRequest(protocolVersion, view, txId, age, bare);
    }

    public List<String> keys() {
        return mutations.stream().map(Mutation::key).toList();
    }
}
