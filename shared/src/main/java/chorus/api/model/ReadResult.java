package chorus.api.model;

import chorus.api.Limits;
import java.io.Externalizable;
import java.io.IOException;
import java.io.InvalidObjectException;
import java.io.ObjectInput;
import java.io.ObjectOutput;
import java.io.Serializable;
import java.util.Optional;

/**
 * A committed value as one replica holds it. {@code found} is false for a key that never existed
 * (version 0) or was deleted (version of the delete).
 */
public record ReadResult(String key, boolean found, String value, long version, int replica) implements Serializable {

    public Optional<String> valueIfPresent() {
        return found ? Optional.of(value) : Optional.empty();
    }

    /**
     * Travels as a {@link Form}: a record's serial form carries a class descriptor with every field's
     * name and type, which the reader parses and resolves on every call (RMI starts each call's
     * stream afresh); the form's descriptor has no fields. Reads are most of the calls.
     */
    private Object writeReplace() {
        return new Form(this);
    }

    /** The serial form of a {@link ReadResult}; not for use otherwise. */
    public static final class Form implements Externalizable {
        private static final long serialVersionUID = 1L;
        private ReadResult result;

        /** For deserialization only. */
        public Form() {
        }

        Form(ReadResult result) {
            this.result = result;
        }

        @Override
        public void writeExternal(ObjectOutput out) throws IOException {
            Forms.writeString(out, result.key);
            out.writeBoolean(result.found);
            out.writeBoolean(result.value != null);
            if (result.value != null) {
                Forms.writeString(out, result.value);
            }
            out.writeLong(result.version);
            out.writeInt(result.replica);
        }

        @Override
        public void readExternal(ObjectInput in) throws IOException {
            String key = Forms.readString(in, Limits.MAX_KEY_BYTES);
            boolean found = in.readBoolean();
            String value = in.readBoolean() ? Forms.readString(in, Limits.MAX_VALUE_BYTES) : null;
            result = new ReadResult(key, found, value, in.readLong(), in.readInt());
        }

        private Object readResolve() throws InvalidObjectException {
            if (result == null) {
                throw new InvalidObjectException("empty read result");
            }
            return result;
        }
    }
}
