package chorus.api.model;

import java.io.IOException;
import java.io.InvalidObjectException;
import java.io.ObjectInput;
import java.io.ObjectOutput;
import java.nio.charset.StandardCharsets;

/**
 * The fields the compact serial forms are written with: the client results here and the replicas'
 * protocol messages ({@code chorus.server.protocol.Wire}). Every read is bounded, and a bad value
 * is an {@link InvalidObjectException}.
 */
public final class Forms {

    private Forms() {
    }

    /** {@code n} if it is a count from 0 to {@code max}. */
    public static int count(int n, int max) throws InvalidObjectException {
        if (n < 0 || n > max) {
            throw new InvalidObjectException("count " + n + " is outside 0.." + max);
        }
        return n;
    }

    public static void writeTxId(ObjectOutput out, TxId id) throws IOException {
        out.writeInt(id.coordinator());
        out.writeLong(id.incarnation());
        out.writeLong(id.sequence());
    }

    public static TxId readTxId(ObjectInput in) throws IOException {
        try {
            return new TxId(in.readInt(), in.readLong(), in.readLong());
        } catch (IllegalArgumentException e) {
            throw new InvalidObjectException("bad transaction id: " + e.getMessage());
        }
    }

    /** Length-prefixed UTF-8 (writeUTF stops at 64 KiB; values go to 1 MiB). */
    public static void writeString(ObjectOutput out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    public static String readString(ObjectInput in, int maxBytes) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > maxBytes) {
            throw new InvalidObjectException("string of " + n + " bytes; at most " + maxBytes + " allowed here");
        }
        byte[] b = new byte[n];
        in.readFully(b);
        return new String(b, StandardCharsets.UTF_8);
    }
}
