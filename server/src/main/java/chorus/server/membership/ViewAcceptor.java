package chorus.server.membership;

import chorus.api.model.View;
import chorus.server.protocol.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * One replica's side of the view agreement (a Paxos acceptor for each epoch's view) and the read
 * leases it grants. Its state is synced before every answer that depends on it, so that a restart
 * cannot make it promise or accept against what it answered before.
 *
 * <p>Leases tie the two together: an acceptor that granted a replica a lease accepts no view
 * without that replica until the lease and the clock-drift margin have run out on its own clock.
 * A lease needs a majority of grants and a view a majority of acceptances; the two majorities
 * share a replica, so no view can exclude a replica while its lease is valid. Grants live in memory
 * only: after a restart an acceptor accepts no exclusion for one lease and margin, since it may
 * have granted leases that it no longer remembers.
 *
 * <p>A proposal refused only because a lease still runs withholds further grants to that replica for
 * a while, so that an exclusion of a replica that is alive and renewing succeeds once its lease ends.
 */
public final class ViewAcceptor {

    /** Where the state lives: durable, synced by {@link #save} before it returns. */
    public interface Persistence {
        Optional<byte[]> load();

        void save(byte[] state);
    }

    private final int self;
    private final Persistence disk;
    private final Clock clock;
    private final long leaseNanos;
    private final long marginNanos;
    private final long graceUntilNanos;
    private final Map<Integer, Long> grantedUntilNanos = new HashMap<>();
    /**
     * Replicas that a proposal would leave out, refused only for their leases: no lease is granted
     * them until then, so that the proposal succeeds once the running leases end, even while the
     * replica is alive and keeps asking.
     */
    private final Map<Integer, Long> withheldUntilNanos = new HashMap<>();
    private final List<Consumer<View>> listeners = new CopyOnWriteArrayList<>();
    private final List<java.util.function.BiConsumer<View, View>> transitions = new CopyOnWriteArrayList<>();
    private AcceptorState state;
    /** The agreed view, read without the monitor on every transaction. */
    private volatile View current;

    public ViewAcceptor(int self, List<Integer> configured, Persistence disk, Clock clock, Duration lease, Duration margin) {
        this.self = self;
        this.disk = disk;
        this.clock = clock;
        this.leaseNanos = lease.toNanos();
        this.marginNanos = margin.toNanos();
        this.state = disk.load().map(AcceptorState::decode).orElseGet(() -> AcceptorState.initial(View.initial(configured)));
        this.current = state.agreed();
        this.graceUntilNanos = clock.nanoTime() + leaseNanos + marginNanos;
    }

    /** The latest view this replica knows to be agreed. */
    public View view() {
        return current;
    }

    /** Called with every newer agreed view, after it is durable here, outside any lock of this acceptor. */
    public void onChange(Consumer<View> listener) {
        listeners.add(listener);
    }

    /**
     * Called with the view before and the newer agreed one, under this acceptor's monitor, once the
     * newer one is durable and before anyone here can see it (so before this replica can vote in
     * its epoch): what must be noted as of the change goes here, and must be quick.
     */
    public void onTransition(java.util.function.BiConsumer<View, View> hook) {
        transitions.add(hook);
    }

    public synchronized AcceptorState state() {
        return state;
    }

    /** Phase one for {@code epoch}'s view: promise to accept no ballot below {@code ballot}. */
    public synchronized Promise promise(long epoch, Ballot ballot) {
        View agreed = state.agreed();
        String wrongEpoch = wrongEpoch(epoch, agreed);
        if (wrongEpoch != null) {
            return refusedPromise(wrongEpoch);
        }
        if (!ballot.above(state.promised())) {
            return refusedPromise("replica " + self + " promised ballot " + state.promised() + " for epoch " + epoch
                    + ", not below or at it");
        }
        persist(state.promising(ballot));
        return new Promise(self, true, "", agreed, state.promised(), state.acceptedBallot(), state.accepted());
    }

    /** Phase two: accept {@code view} under {@code ballot} unless a higher ballot was promised or a lease forbids it. */
    public synchronized Acceptance accept(Ballot ballot, View view) {
        View agreed = state.agreed();
        String wrongEpoch = wrongEpoch(view.epoch(), agreed);
        if (wrongEpoch != null) {
            return new Acceptance(self, false, wrongEpoch, agreed, 0);
        }
        if (ballot.compareTo(state.promised()) < 0) {
            return new Acceptance(self, false, "replica " + self + " promised ballot " + state.promised() + " for epoch "
                    + view.epoch() + ", above " + ballot, agreed, 0);
        }
        long now = clock.nanoTime();
        for (int replica : agreed.members()) {
            if (view.isMember(replica)) {
                continue;
            }
            Long granted = grantedUntilNanos.get(replica);
            long until = now < graceUntilNanos ? graceUntilNanos : granted == null ? now : granted + marginNanos;
            if (until > now) {
                withheldUntilNanos.put(replica, until + leaseNanos);
                long waitMillis = Math.max(1, (until - now + 999_999) / 1_000_000);
                String why = now < graceUntilNanos
                        ? "replica " + self + " restarted less than a lease ago and may have granted replica " + replica
                                + " a read lease it no longer remembers"
                        : "replica " + replica + "'s read lease, granted by replica " + self + ", runs";
                return new Acceptance(self, false, why + " for another " + waitMillis + " ms", agreed, waitMillis);
            }
        }
        persist(state.accepting(ballot, view));
        return new Acceptance(self, true, "", agreed, 0);
    }

    /**
     * Keeps {@code view} as the latest agreed one if it is newer than what this replica knows.
     * Whoever sends it learned it from a majority's acceptances or from a replica that did.
     *
     * @return whether it was newer
     */
    public boolean learn(View view) {
        synchronized (this) {
            if (view.epoch() <= state.agreed().epoch()) {
                return false;
            }
            persist(state.learned(view));
        }
        for (Consumer<View> l : listeners) {
            l.accept(view);
        }
        return true;
    }

    /**
     * A read lease for {@code holder}: granted while it is a member of the agreed view and of any view
     * this replica accepted for the next epoch. A holder that knows a newer view teaches it here first.
     */
    public LeaseAnswer grantLease(int holder, View holderView) {
        if (holderView != null && holderView.epoch() > view().epoch()) {
            learn(holderView);
        }
        synchronized (this) {
            View agreed = state.agreed();
            if (!agreed.isMember(holder)) {
                return new LeaseAnswer(self, false, "replica " + holder + " is no member of " + agreed.text(), agreed);
            }
            if (state.accepted() != null && !state.accepted().isMember(holder)) {
                return new LeaseAnswer(self, false, "replica " + self + " accepted " + state.accepted().text()
                        + ", which leaves out replica " + holder, agreed);
            }
            Long withheld = withheldUntilNanos.get(holder);
            if (withheld != null && withheld - clock.nanoTime() > 0) {
                return new LeaseAnswer(self, false, "a view without replica " + holder + " is being agreed at replica " + self,
                        agreed);
            }
            grantedUntilNanos.put(holder, clock.nanoTime() + leaseNanos);
            return new LeaseAnswer(self, true, "", agreed);
        }
    }

    private String wrongEpoch(long epoch, View agreed) {
        if (epoch <= agreed.epoch()) {
            return "replica " + self + " already knows " + agreed.text() + " agreed";
        }
        if (epoch > agreed.epoch() + 1) {
            return "replica " + self + " knows only " + agreed.text() + " and cannot vote on epoch " + epoch;
        }
        return null;
    }

    private Promise refusedPromise(String reason) {
        return new Promise(self, false, reason, state.agreed(), state.promised(), null, null);
    }

    private void persist(AcceptorState next) {
        disk.save(next.encode());
        View before = current;
        if (next.agreed().epoch() > before.epoch()) {
            for (java.util.function.BiConsumer<View, View> hook : transitions) {
                hook.accept(before, next.agreed());
            }
        }
        state = next;
        current = next.agreed();
    }
}
