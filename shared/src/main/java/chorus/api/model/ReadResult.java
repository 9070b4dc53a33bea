package chorus.api.model;

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
            out.writeObject(result.key);
            out.writeBoolean(result.found);
            out.writeObject(result.value);
            out.writeLong(result.version);
            out.writeInt(result.replica);
        }

        @Override
        public void readExternal(ObjectInput in) throws IOException, ClassNotFoundException {
            String key = Forms.string(in.readObject(), "key");
            boolean found = in.readBoolean();
            String value = Forms.stringOrNull(in.readObject(), "value");
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
