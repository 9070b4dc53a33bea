package chorus.server.membership;

import chorus.api.model.View;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * What a replica keeps durable for the view agreement: the latest view it knows to be agreed, and
 * for the next epoch's agreement the highest ballot it promised and the view it accepted, if any
 * (a single-decree Paxos acceptor per epoch). Synced before any answer that depends on it.
 */
public record AcceptorState(View agreed, Ballot promised, Ballot acceptedBallot, View accepted) {

    private static final int FORMAT = 1;

    public AcceptorState {
        if (promised == null) {
            promised = Ballot.NONE;
        }
        if ((acceptedBallot == null) != (accepted == null)) {
            throw new IllegalArgumentException("an accepted view goes with its ballot");
        }
    }

    public static AcceptorState initial(View first) {
        return new AcceptorState(first, Ballot.NONE, null, null);
    }

    /** The state once {@code view} is known agreed: the next epoch's agreement starts afresh. */
    AcceptorState learned(View view) {
        return new AcceptorState(view, Ballot.NONE, null, null);
    }

    AcceptorState promising(Ballot ballot) {
        return new AcceptorState(agreed, ballot, acceptedBallot, accepted);
    }

    AcceptorState accepting(Ballot ballot, View view) {
        return new AcceptorState(agreed, ballot, ballot, view);
    }

    public byte[] encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(FORMAT);
            writeView(out, agreed);
            writeBallot(out, promised);
            out.writeBoolean(accepted != null);
            if (accepted != null) {
                writeBallot(out, acceptedBallot);
                writeView(out, accepted);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    public static AcceptorState decode(byte[] data) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
            int format = in.readInt();
            if (format != FORMAT) {
                throw new IllegalStateException("membership record of format " + format + "; this replica reads format " + FORMAT);
            }
            View agreed = readView(in);
            Ballot promised = readBallot(in);
            if (!in.readBoolean()) {
                return new AcceptorState(agreed, promised, null, null);
            }
            Ballot ballot = readBallot(in);
            return new AcceptorState(agreed, promised, ballot, readView(in));
        } catch (IOException e) {
            throw new IllegalStateException("membership record unreadable: " + e.getMessage(), e);
        }
    }

    private static void writeView(DataOutputStream out, View v) throws IOException {
        out.writeLong(v.epoch());
        out.writeInt(v.members().size());
        for (int m : v.members()) {
            out.writeInt(m);
        }
    }

    private static View readView(DataInputStream in) throws IOException {
        long epoch = in.readLong();
        int n = in.readInt();
        List<Integer> members = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            members.add(in.readInt());
        }
        return new View(epoch, members);
    }

    private static void writeBallot(DataOutputStream out, Ballot b) throws IOException {
        out.writeLong(b.round());
        out.writeInt(b.proposer());
    }

    private static Ballot readBallot(DataInputStream in) throws IOException {
        return new Ballot(in.readLong(), in.readInt());
    }
}
