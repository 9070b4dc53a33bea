package chorus.server.storage;

import chorus.api.model.Decision;
import chorus.api.model.Mutation;
import chorus.api.model.TxId;
import chorus.api.model.View;
import chorus.server.protocol.Change;
import chorus.server.protocol.CommitRecord;
import chorus.server.protocol.PreparedRecord;
import chorus.server.protocol.StoredValue;
import chorus.server.protocol.TxAge;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Byte forms of what the replica stores in RocksDB. Each record starts with a format byte so that
 * a later version can read what an earlier one wrote, and refuses what it does not know.
 */
final class Codec {

    private static final byte FORMAT = 1;
    /** Prepare and commit records since membership views: format 1 plus the transaction's view. */
    private static final byte RECORD_FORMAT = 2;
    private static final byte PUT = 1;
    private static final byte DELETE = 2;
    /** Flags of a change: it holds a value (else it is a delete); a transaction made it (else an install). */
    private static final byte CHANGE_PRESENT = 1;
    private static final byte CHANGE_OF_TX = 2;

    private Codec() {
    }

    static byte[] key(String key) {
        return key.getBytes(StandardCharsets.UTF_8);
    }

    static String key(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** Big-endian, so that RocksDB's byte order is the id order. */
    static byte[] txId(TxId id) {
        return ByteBuffer.allocate(20).putInt(id.coordinator()).putLong(id.incarnation()).putLong(id.sequence()).array();
    }

    static TxId txId(byte[] b) {
        ByteBuffer buf = ByteBuffer.wrap(b);
        return new TxId(buf.getInt(), buf.getLong(), buf.getLong());
    }

    static byte[] value(String value, long version) {
        byte[] v = value == null ? new byte[0] : value.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(10 + v.length).put(FORMAT).putLong(version).put((byte) (value == null ? 0 : 1)).put(v).array();
    }

    static StoredValue value(byte[] b) {
        if (b == null) {
            return StoredValue.ABSENT;
        }
        ByteBuffer buf = ByteBuffer.wrap(b);
        checkFormat(buf.get(), "value");
        long version = buf.getLong();
        boolean present = buf.get() == 1;
        String value = present ? new String(b, 10, b.length - 10, StandardCharsets.UTF_8) : null;
        return new StoredValue(value, version);
    }

    /** Big-endian, so that RocksDB's byte order is the number order (numbers are never negative). */
    static byte[] seq(long seq) {
        return ByteBuffer.allocate(8).putLong(seq).array();
    }

    static long seq(byte[] b) {
        return ByteBuffer.wrap(b).getLong();
    }

    /** A change: format, flags (value present, made by a transaction), version, [tx id], key length, key, value. */
    static byte[] change(String key, String value, long version, TxId txId) {
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        byte[] v = value == null ? new byte[0] : value.getBytes(StandardCharsets.UTF_8);
        byte flags = (byte) ((value != null ? CHANGE_PRESENT : 0) | (txId != null ? CHANGE_OF_TX : 0));
        ByteBuffer buf = ByteBuffer.allocate(14 + (txId != null ? 20 : 0) + k.length + v.length)
                .put(FORMAT).put(flags).putLong(version);
        if (txId != null) {
            buf.put(txId(txId));
        }
        return buf.putInt(k.length).put(k).put(v).array();
    }

    static Change change(long seq, byte[] b) {
        ByteBuffer buf = ByteBuffer.wrap(b);
        checkFormat(buf.get(), "change");
        byte flags = buf.get();
        long version = buf.getLong();
        TxId tx = (flags & CHANGE_OF_TX) != 0 ? new TxId(buf.getInt(), buf.getLong(), buf.getLong()) : null;
        int keyLength = buf.getInt();
        String key = new String(b, buf.position(), keyLength, StandardCharsets.UTF_8);
        int valueAt = buf.position() + keyLength;
        String value = (flags & CHANGE_PRESENT) != 0 ? new String(b, valueAt, b.length - valueAt, StandardCharsets.UTF_8) : null;
        return new Change(seq, key, value, version, tx);
    }

    static byte[] outcome(Decision d, long atMillis) {
        return ByteBuffer.allocate(10).put(FORMAT).put((byte) d.ordinal()).putLong(atMillis).array();
    }

    static Decision outcomeDecision(byte[] b) {
        checkFormat(b[0], "outcome");
        return Decision.values()[b[1]];
    }

    static long outcomeTime(byte[] b) {
        return ByteBuffer.wrap(b, 2, 8).getLong();
    }

    static byte[] prepared(PreparedRecord r) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeByte(RECORD_FORMAT);
            writeTxId(out, r.txId());
            out.writeLong(r.age().startMillis());
            out.writeInt(r.age().coordinator());
            out.writeLong(r.age().sequence());
            out.writeLong(r.preparedAtMillis());
            out.writeInt(r.mutations().size());
            for (Mutation m : r.mutations()) {
                out.writeByte(m instanceof Mutation.Put ? PUT : DELETE);
                writeString(out, m.key());
                out.writeLong(m.expectedVersion());
                if (m instanceof Mutation.Put p) {
                    writeString(out, p.value());
                }
                out.writeLong(r.versions().get(m.key()));
            }
            writeView(out, r.view());
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException("in-memory stream failed", e);
        }
    }

    static PreparedRecord prepared(byte[] b) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(b));
        byte format = recordFormat(in.readByte(), "prepared record");
        TxId tx = readTxId(in);
        TxAge age = new TxAge(in.readLong(), in.readInt(), in.readLong());
        long preparedAt = in.readLong();
        int n = in.readInt();
        List<Mutation> mutations = new ArrayList<>(n);
        Map<String, Long> versions = new HashMap<>();
        for (int i = 0; i < n; i++) {
            byte kind = in.readByte();
            String key = readString(in);
            long expected = in.readLong();
            if (kind == PUT) {
                mutations.add(new Mutation.Put(key, readString(in), expected));
            } else if (kind == DELETE) {
                mutations.add(new Mutation.Delete(key, expected));
            } else {
                throw new IOException("unknown mutation kind " + kind);
            }
            versions.put(key, in.readLong());
        }
        return new PreparedRecord(tx, age, mutations, versions, preparedAt, format == FORMAT ? null : readView(in));
    }

    static byte[] commit(CommitRecord r) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeByte(RECORD_FORMAT);
            writeTxId(out, r.txId());
            out.writeLong(r.decidedAtMillis());
            writeString(out, r.operation());
            out.writeInt(r.keys().size());
            for (String k : r.keys()) {
                writeString(out, k);
            }
            writeView(out, r.view());
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException("in-memory stream failed", e);
        }
    }

    static CommitRecord commit(byte[] b) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(b));
        byte format = recordFormat(in.readByte(), "commit record");
        TxId tx = readTxId(in);
        long decidedAt = in.readLong();
        String op = readString(in);
        int n = in.readInt();
        List<String> keys = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            keys.add(readString(in));
        }
        return new CommitRecord(tx, keys, op, decidedAt, format == FORMAT ? null : readView(in));
    }

    private static void writeTxId(DataOutputStream out, TxId id) throws IOException {
        out.writeInt(id.coordinator());
        out.writeLong(id.incarnation());
        out.writeLong(id.sequence());
    }

    private static TxId readTxId(DataInputStream in) throws IOException {
        return new TxId(in.readInt(), in.readLong(), in.readLong());
    }

    /** Length-prefixed UTF-8; DataOutput's writeUTF stops at 64 KiB, values go to 1 MiB. */
    private static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static String readString(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > 64 * 1024 * 1024) {
            throw new IOException("string length " + n + " is out of range");
        }
        byte[] b = new byte[n];
        in.readFully(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    private static void writeView(DataOutputStream out, View view) throws IOException {
        out.writeLong(view.epoch());
        out.writeInt(view.members().size());
        for (int m : view.members()) {
            out.writeInt(m);
        }
    }

    private static View readView(DataInputStream in) throws IOException {
        long epoch = in.readLong();
        int n = in.readInt();
        if (n < 1 || n > 1000) {
            throw new IOException("view of " + n + " members");
        }
        List<Integer> members = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            members.add(in.readInt());
        }
        return new View(epoch, members);
    }

    /**
     * A prepare or commit record's format: 1 (written before membership views; read with no view,
     * which means the first view of every configured replica) or 2.
     */
    private static byte recordFormat(byte format, String what) {
        if (format != FORMAT && format != RECORD_FORMAT) {
            throw new IllegalStateException(what + " has storage format " + format + "; this replica reads formats "
                    + FORMAT + " and " + RECORD_FORMAT);
        }
        return format;
    }

    private static void checkFormat(byte format, String what) {
        if (format != FORMAT) {
            throw new IllegalStateException(what + " has storage format " + format + "; this replica reads format " + FORMAT);
        }
    }
}
