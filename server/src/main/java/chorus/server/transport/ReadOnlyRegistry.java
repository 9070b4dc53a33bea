package chorus.server.transport;

import java.io.ObjectInputFilter;
import java.rmi.AccessException;
import java.rmi.Remote;
import java.rmi.RemoteException;
import java.rmi.server.RMIClientSocketFactory;
import java.rmi.server.RMIServerSocketFactory;
import java.util.Map;
import java.util.function.Consumer;
import sun.rmi.registry.RegistryImpl;

/**
 * A replica's registry: filled once when the replica starts, then lookups only. The JDK's registry
 * lets any process on the same host bind, rebind and unbind names, so another local user could
 * unbind a replica's services or swap in a stub of their own that peers would then call. The
 * registry's calls are dispatched to these methods (its skeleton calls them virtually), so the
 * overrides refuse every change from outside; nothing else about the registry differs.
 *
 * <p>{@code sun.rmi.registry} is not exported by {@code java.rmi}: this class is compiled and run
 * with {@code --add-exports java.rmi/sun.rmi.registry=ALL-UNNAMED} (see {@code ReplicaMain.JVM_OPTIONS}).
 */
final class ReadOnlyRegistry extends RegistryImpl {

    private static final long serialVersionUID = 1L;

    private final int replica;
    private final transient Consumer<String> refusals;

    /**
     * Exports the registry on {@code port} and binds {@code bindings} for good.
     *
     * @param refusals told of every refused change (the replica logs it and records an event)
     */
    ReadOnlyRegistry(int replica, int port, RMIClientSocketFactory csf, RMIServerSocketFactory ssf, ObjectInputFilter filter,
                     Map<String, Remote> bindings, Consumer<String> refusals) throws RemoteException {
        super(port, csf, ssf, filter);
        this.replica = replica;
        this.refusals = refusals;
        for (Map.Entry<String, Remote> e : bindings.entrySet()) {
            try {
                super.bind(e.getKey(), e.getValue());
            } catch (java.rmi.AlreadyBoundException ex) {
                throw new IllegalArgumentException("bound twice: " + e.getKey(), ex);
            }
        }
    }

    @Override
    public void bind(String name, Remote obj) throws AccessException {
        throw refused("bind", name);
    }

    @Override
    public void rebind(String name, Remote obj) throws AccessException {
        throw refused("rebind", name);
    }

    @Override
    public void unbind(String name) throws AccessException {
        throw refused("unbind", name);
    }

    private AccessException refused(String call, String name) {
        String message = "the registry of replica " + replica + " is read-only: " + call + "(" + name + ") from "
                + clientHost() + " refused";
        refusals.accept(message);
        return new AccessException(message);
    }

    private static String clientHost() {
        try {
            return getClientHost();
        } catch (java.rmi.server.ServerNotActiveException e) {
            return "this process";
        }
    }
}
