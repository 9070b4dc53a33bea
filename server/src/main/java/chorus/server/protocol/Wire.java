package chorus.server.protocol;

import chorus.api.Limits;
import chorus.api.model.AbortCause;
import chorus.api.model.Decision;
import chorus.api.model.Forms;
import chorus.api.model.Mutation;
import chorus.api.model.TxId;
import chorus.api.model.View;
import java.io.Externalizable;
import java.io.IOException;
import java.io.InvalidObjectException;
import java.io.ObjectInput;
import java.io.ObjectOutput;
import java.io.ObjectStreamException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The peer messages that every write sends several times, PREPARE (and LOCK) requests and votes, in
 * a compact hand-written form instead of default record serialization: profiles of replicas under
 * load showed reflective record (de)serialization as the largest share of their Java CPU time.
 * The message classes substitute these forms when written ({@code writeReplace}) and get their own
 * objects back when read ({@code readResolve}). Messages that carry several of them travel as one
 * batch form ({@link PrepareBatch}, {@link VoteBatch}, {@link DecisionBatch}): a list of records would
 * cost a class descriptor, resolved through RMI's class loader with a stack walk, per element
 * type and call, and reflective construction per record.
 * Every count and length read is checked against the API limits before anything is allocated.
 */
public final class Wire {

    private Wire() {
    }

    private static final byte PUT = 1;
    private static final byte DELETE = 2;
    private static final byte YES = 1;
    private static final byte NO = 2;
    /** A key's versions or a transaction's mutations: never more than a batch. */
    private static final int MAX_ENTRIES = Limits.MAX_BATCH_MUTATIONS;

    /** A {@link PrepareRequest} on the wire. */
    public static final class Prepare implements Externalizable {
        private static final long serialVersionUID = 1L;
        private PrepareRequest request;

        /** For deserialization only. */
        public Prepare() {
        }

        Prepare(PrepareRequest request) {
            this.request = request;
        }

        @Override
        public void writeExternal(ObjectOutput out) throws IOException {
            writePrepare(out, request);
        }

        @Override
        public void readExternal(ObjectInput in) throws IOException {
            request = readPrepare(in);
        }

        private Object readResolve() throws ObjectStreamException {
            return request;
        }
    }

    /** A {@link Vote} on the wire. */
    public static final class VoteForm implements Externalizable {
        private static final long serialVersionUID = 1L;
        private Vote vote;

        /** For deserialization only. */
        public VoteForm() {
        }

        VoteForm(Vote vote) {
            this.vote = vote;
        }

        @Override
        public void writeExternal(ObjectOutput out) throws IOException {
            writeVote(out, vote);
        }

        @Override
        public void readExternal(ObjectInput in) throws IOException {
            vote = readVote(in);
        }

        private Object readResolve() throws ObjectStreamException {
            return vote;
        }
    }

    private static void writePrepare(ObjectOutput out, PrepareRequest request) throws IOException {
        out.writeInt(request.protocolVersion());
        Forms.writeTxId(out, request.txId());
        out.writeLong(request.age().startMillis());
        out.writeInt(request.age().coordinator());
        out.writeLong(request.age().sequence());
        writeView(out, request.view());
        out.writeInt(request.mutations().size());
        for (Mutation m : request.mutations()) {
            writeMutation(out, m);
        }
    }

    private static void writeMutation(ObjectOutput out, Mutation m) throws IOException {
        out.writeByte(m instanceof Mutation.Put ? PUT : DELETE);
        Forms.writeString(out, m.key());
        out.writeLong(m.expectedVersion());
        if (m instanceof Mutation.Put p) {
            Forms.writeString(out, p.value());
        }
    }

    private static PrepareRequest readPrepare(ObjectInput in) throws IOException {
        int protocolVersion = in.readInt();
        TxId tx = Forms.readTxId(in);
        TxAge age = new TxAge(in.readLong(), in.readInt(), in.readLong());
        View view = readView(in);
        int n = count(in.readInt());
        List<Mutation> mutations = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            mutations.add(readMutation(in));
        }
        return new PrepareRequest(protocolVersion, view, tx, age, mutations);
    }

    private static Mutation readMutation(ObjectInput in) throws IOException {
        byte kind = in.readByte();
        String key = Forms.readString(in, Limits.MAX_KEY_BYTES);
        long expected = in.readLong();
        if (kind == PUT) {
            return new Mutation.Put(key, Forms.readString(in, Limits.MAX_VALUE_BYTES), expected);
        } else if (kind == DELETE) {
            return new Mutation.Delete(key, expected);
        }
        throw new InvalidObjectException("unknown mutation kind " + kind);
    }

    private static void writeVote(ObjectOutput out, Vote vote) throws IOException {
        if (vote instanceof Vote.Yes y) {
            out.writeByte(YES);
            out.writeInt(y.versions().size());
            for (Map.Entry<String, Long> e : y.versions().entrySet()) {
                Forms.writeString(out, e.getKey());
                out.writeLong(e.getValue());
            }
        } else {
            Vote.No no = (Vote.No) vote;
            out.writeByte(NO);
            Forms.writeString(out, no.cause().name());
            Forms.writeString(out, no.reason());
            out.writeBoolean(no.newerView() != null);
            if (no.newerView() != null) {
                writeView(out, no.newerView());
            }
        }
    }

    /** A view in a message: its epoch and members (a handful of small numbers). */
    private static void writeView(ObjectOutput out, View view) throws IOException {
        out.writeLong(view.epoch());
        out.writeByte(view.members().size());
        for (int m : view.members()) {
            out.writeShort(m);
        }
    }

    private static View readView(ObjectInput in) throws IOException {
        long epoch = in.readLong();
        int n = in.readUnsignedByte();
        List<Integer> members = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            members.add((int) in.readShort());
        }
        try {
            return new View(epoch, members);
        } catch (IllegalArgumentException e) {
            throw new InvalidObjectException("bad view: " + e.getMessage());
        }
    }

    private static Vote readVote(ObjectInput in) throws IOException {
        byte kind = in.readByte();
        if (kind == YES) {
            int n = count(in.readInt());
            Map<String, Long> versions = new HashMap<>(Math.max(4, n * 2));
            for (int i = 0; i < n; i++) {
                versions.put(Forms.readString(in, Limits.MAX_KEY_BYTES), in.readLong());
            }
            return new Vote.Yes(versions);
        } else if (kind == NO) {
            String cause = Forms.readString(in, 64);
            try {
                AbortCause c = AbortCause.valueOf(cause);
                String reason = Forms.readString(in, Limits.MAX_VALUE_BYTES);
                return new Vote.No(c, reason, in.readBoolean() ? readView(in) : null);
            } catch (IllegalArgumentException e) {
                throw new InvalidObjectException("unknown abort cause " + cause);
            }
        } else {
            throw new InvalidObjectException("unknown vote kind " + kind);
        }
    }

    /**
     * A list in one message: a count, checked against {@link #max()} before anything is allocated,
     * then the elements in their hand-written form. Not serializable itself, so that a message
     * carries its own class descriptor only (a serializable superclass would add a second one).
     */
    abstract static class ListForm<T> {
        private List<T> items;

        ListForm() {
        }

        ListForm(List<T> items) {
            this.items = List.copyOf(items);
        }

        List<T> items() {
            return items;
        }

        abstract int max();

        abstract void writeItem(ObjectOutput out, T item) throws IOException;

        abstract T readItem(ObjectInput in) throws IOException;

        public final void writeExternal(ObjectOutput out) throws IOException {
            out.writeInt(items.size());
            for (T item : items) {
                writeItem(out, item);
            }
        }

        public final void readExternal(ObjectInput in) throws IOException {
            int n = Forms.count(in.readInt(), max());
            List<T> read = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                read.add(readItem(in));
            }
            items = read;
        }
    }

    /**
     * A forwarded group of client writes (see {@link Forwarding}): as a list of records it cost a
     * class descriptor per list and record type, resolved through RMI's class loader, and a
     * reflective construction per write, at the leader, for every forward.
     */
    public static final class Mutations extends ListForm<Mutation> implements Externalizable {
        private static final long serialVersionUID = 1L;

        /** For deserialization only. */
        public Mutations() {
        }

        public Mutations(List<Mutation> mutations) {
            super(mutations);
        }

        public List<Mutation> mutations() {
            return items();
        }

        @Override
        int max() {
            return MAX_ENTRIES;
        }

        @Override
        void writeItem(ObjectOutput out, Mutation mutation) throws IOException {
            writeMutation(out, mutation);
        }

        @Override
        Mutation readItem(ObjectInput in) throws IOException {
            return readMutation(in);
        }
    }

    /** Several PREPAREs for one replica in one message (see {@link PrepareBatching}). */
    public static final class PrepareBatch extends ListForm<PrepareRequest> implements Externalizable {
        private static final long serialVersionUID = 1L;

        /** For deserialization only. */
        public PrepareBatch() {
        }

        public PrepareBatch(List<PrepareRequest> requests) {
            super(requests);
        }

        public List<PrepareRequest> requests() {
            return items();
        }

        @Override
        int max() {
            return PrepareBatching.MAX_PER_MESSAGE;
        }

        @Override
        void writeItem(ObjectOutput out, PrepareRequest request) throws IOException {
            writePrepare(out, request);
        }

        @Override
        PrepareRequest readItem(ObjectInput in) throws IOException {
            return readPrepare(in);
        }
    }

    /** The votes answering a {@link PrepareBatch}, in its order. */
    public static final class VoteBatch extends ListForm<Vote> implements Externalizable {
        private static final long serialVersionUID = 1L;

        /** For deserialization only. */
        public VoteBatch() {
        }

        public VoteBatch(List<Vote> votes) {
            super(votes);
        }

        public List<Vote> votes() {
            return items();
        }

        @Override
        int max() {
            return PrepareBatching.MAX_PER_MESSAGE;
        }

        @Override
        void writeItem(ObjectOutput out, Vote vote) throws IOException {
            writeVote(out, vote);
        }

        @Override
        Vote readItem(ObjectInput in) throws IOException {
            return readVote(in);
        }
    }

    /** Several decisions for one replica in one message (see {@link DecisionDelivery}). */
    public static final class DecisionBatch extends ListForm<Decided> implements Externalizable {
        private static final long serialVersionUID = 1L;
        private static final byte COMMIT = 1;
        private static final byte ABORT = 2;

        /** For deserialization only. */
        public DecisionBatch() {
        }

        public DecisionBatch(List<Decided> decisions) {
            super(decisions);
        }

        public List<Decided> decisions() {
            return items();
        }

        @Override
        int max() {
            return DecisionDelivery.MAX_DECISIONS_PER_MESSAGE;
        }

        @Override
        void writeItem(ObjectOutput out, Decided d) throws IOException {
            Forms.writeTxId(out, d.txId());
            out.writeByte(d.decision() == Decision.COMMIT ? COMMIT : ABORT);
        }

        @Override
        Decided readItem(ObjectInput in) throws IOException {
            TxId tx = Forms.readTxId(in);
            byte kind = in.readByte();
            if (kind != COMMIT && kind != ABORT) {
                throw new InvalidObjectException("unknown decision kind " + kind);
            }
            return new Decided(tx, kind == COMMIT ? Decision.COMMIT : Decision.ABORT);
        }
    }

    /** Decisions and PREPAREs for one replica in one message (see {@link PeerChannel#exchange}). */
    public static final class Exchange implements Externalizable {
        private static final long serialVersionUID = 1L;
        private DecisionBatch decisions;
        private PrepareBatch prepares;

        /** For deserialization only. */
        public Exchange() {
        }

        public Exchange(List<Decided> decisions, List<PrepareRequest> prepares) {
            this.decisions = new DecisionBatch(decisions);
            this.prepares = new PrepareBatch(prepares);
        }

        public List<Decided> decisions() {
            return decisions.decisions();
        }

        public List<PrepareRequest> prepares() {
            return prepares.requests();
        }

        @Override
        public void writeExternal(ObjectOutput out) throws IOException {
            decisions.writeExternal(out);
            prepares.writeExternal(out);
        }

        @Override
        public void readExternal(ObjectInput in) throws IOException {
            decisions = new DecisionBatch();
            decisions.readExternal(in);
            prepares = new PrepareBatch();
            prepares.readExternal(in);
        }
    }

    /** The answer to an {@link Exchange}: how far the replica has synced, and the votes in order. */
    public static final class ExchangeReply implements Externalizable {
        private static final long serialVersionUID = 1L;
        private Exchanged exchanged;

        /** For deserialization only. */
        public ExchangeReply() {
        }

        public ExchangeReply(Exchanged exchanged) {
            this.exchanged = exchanged;
        }

        public Exchanged exchanged() {
            return exchanged;
        }

        @Override
        public void writeExternal(ObjectOutput out) throws IOException {
            DecisionAck ack = exchanged.ack();
            out.writeLong(ack.incarnation());
            out.writeLong(ack.appliedThrough());
            out.writeLong(ack.syncedThrough());
            new VoteBatch(exchanged.votes()).writeExternal(out);
        }

        @Override
        public void readExternal(ObjectInput in) throws IOException {
            DecisionAck ack = new DecisionAck(in.readLong(), in.readLong(), in.readLong());
            VoteBatch votes = new VoteBatch();
            votes.readExternal(in);
            exchanged = new Exchanged(ack, votes.votes());
        }
    }

    /** A {@link DecisionAck} on the wire. */
    public static final class AckForm implements Externalizable {
        private static final long serialVersionUID = 1L;
        private DecisionAck ack;

        /** For deserialization only. */
        public AckForm() {
        }

        AckForm(DecisionAck ack) {
            this.ack = ack;
        }

        @Override
        public void writeExternal(ObjectOutput out) throws IOException {
            out.writeLong(ack.incarnation());
            out.writeLong(ack.appliedThrough());
            out.writeLong(ack.syncedThrough());
        }

        @Override
        public void readExternal(ObjectInput in) throws IOException {
            ack = new DecisionAck(in.readLong(), in.readLong(), in.readLong());
        }

        private Object readResolve() throws ObjectStreamException {
            return ack;
        }
    }

    private static int count(int n) throws InvalidObjectException {
        return Forms.count(n, MAX_ENTRIES);
    }
}
