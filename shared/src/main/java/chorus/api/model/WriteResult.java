package chorus.api.model;

import chorus.api.Limits;
import java.io.Externalizable;
import java.io.IOException;
import java.io.InvalidObjectException;
import java.io.ObjectInput;
import java.io.ObjectOutput;
import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;

/**
 * A committed write: its transaction, the new version of every key it touched, how long the client
 * waited at the coordinator, and how many attempts conflicts cost (1 when there was none).
 */
public record WriteResult(TxId txId, Map<String, Long> versions, long latencyMicros, int attempts, int coordinator)
        implements Serializable {

    public WriteResult {
        versions = Map.copyOf(versions);
    }

    /** The new version of the single key of a one-key write. */
    public long version() {
        if (versions.size() != 1) {
            throw new IllegalStateException("write of " + versions.size() + " keys has no single version");
        }
        return versions.values().iterator().next();
    }

    /** Travels as a {@link Form}, for the reason given at {@link ReadResult}'s. */
    private Object writeReplace() {
        return new Form(this);
    }

    /** The serial form of a {@link WriteResult}; not for use otherwise. */
    public static final class Form implements Externalizable {
        private static final long serialVersionUID = 1L;
        private WriteResult result;

        /** For deserialization only. */
        public Form() {
        }

        Form(WriteResult result) {
            this.result = result;
        }

        @Override
        public void writeExternal(ObjectOutput out) throws IOException {
            Forms.writeTxId(out, result.txId);
            out.writeInt(result.versions.size());
            for (Map.Entry<String, Long> e : result.versions.entrySet()) {
                Forms.writeString(out, e.getKey());
                out.writeLong(e.getValue());
            }
            out.writeLong(result.latencyMicros);
            out.writeInt(result.attempts);
            out.writeInt(result.coordinator);
        }

        @Override
        public void readExternal(ObjectInput in) throws IOException {
            try {
                TxId tx = Forms.readTxId(in);
                int n = Forms.count(in.readInt(), Limits.MAX_BATCH_MUTATIONS);
                Map<String, Long> versions = new HashMap<>(n * 2);
                for (int i = 0; i < n; i++) {
                    versions.put(Forms.readString(in, Limits.MAX_KEY_BYTES), in.readLong());
                }
                result = new WriteResult(tx, versions, in.readLong(), in.readInt(), in.readInt());
            } catch (InvalidObjectException e) {
                InvalidObjectException bad = new InvalidObjectException("invalid write result: " + e.getMessage());
                bad.initCause(e);
                throw bad;
            }
        }

        private Object readResolve() throws InvalidObjectException {
            if (result == null) {
                throw new InvalidObjectException("empty write result");
            }
            return result;
        }
    }
}
