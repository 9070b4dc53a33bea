package chorus.server.transport;

import chorus.api.rmi.SerialFilters;
import java.net.MalformedURLException;
import java.rmi.server.RMIClassLoader;
import java.rmi.server.RMIClassLoaderSpi;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * RMI's class loading, with the classes it found for the replica's own messages remembered.
 *
 * <p>Every RMI call carries a class descriptor for each object it passes, and RMI resolves each
 * descriptor anew through {@link RMIClassLoader}: the standard provider calls
 * {@code Class.forName}, which walks the stack for its caller. Under a write-only load that was
 * 1.6-1.7 % of the replicas' CPU (async-profiler, {@code launch/bench --profile}): two descriptors
 * per call, about twenty calls per transaction. A replica loads no code from the network (no
 * codebase, and {@code java.rmi.server.useCodebaseOnly} is the JDK's default), so a name without
 * a codebase names the same class every time, and the answer can be kept.
 *
 * <p>Only classes that the replica's serial filter admits are kept, so that names a caller makes
 * up cannot grow the map; everything else, and every other question, goes to the standard provider.
 * A class a filter refuses is still refused: the filter runs after resolution, as before.
 */
public final class KnownClasses extends RMIClassLoaderSpi {

    /** The JDK's system property that names the provider; read once, when RMI first loads a class. */
    static final String PROVIDER_PROPERTY = "java.rmi.server.RMIClassLoaderSpi";

    private final RMIClassLoaderSpi standard = RMIClassLoader.getDefaultProviderInstance();
    private final Map<String, Class<?>> known = new ConcurrentHashMap<>();

    /** Makes this the JVM's provider unless another is named; before the first RMI call or export. */
    public static void install() {
        if (System.getProperty(PROVIDER_PROPERTY) == null) {
            System.setProperty(PROVIDER_PROPERTY, KnownClasses.class.getName());
        }
    }

    @Override
    public Class<?> loadClass(String codebase, String name, ClassLoader defaultLoader)
            throws MalformedURLException, ClassNotFoundException {
        if (codebase != null) {
            return standard.loadClass(codebase, name, defaultLoader);
        }
        Class<?> c = known.get(name);
        if (c == null) {
            c = standard.loadClass(null, name, defaultLoader);
            if (admitted(c)) {
                known.putIfAbsent(name, c);
            }
        }
        return c;
    }

    /** Admitted by the replica's filters, and found by the application's loader or one it delegates to. */
    private static boolean admitted(Class<?> c) {
        ClassLoader loader = c.getClassLoader();
        boolean shared = loader == null || loader == ClassLoader.getSystemClassLoader() || loader == ClassLoader.getPlatformClassLoader();
        return shared && SerialFilters.admits(c);
    }

    @Override
    public Class<?> loadProxyClass(String codebase, String[] interfaces, ClassLoader defaultLoader)
            throws MalformedURLException, ClassNotFoundException {
        return standard.loadProxyClass(codebase, interfaces, defaultLoader);
    }

    @Override
    public ClassLoader getClassLoader(String codebase) throws MalformedURLException {
        return standard.getClassLoader(codebase);
    }

    @Override
    public String getClassAnnotation(Class<?> cl) {
        return standard.getClassAnnotation(cl);
    }

    /** Classes remembered so far (for tests). */
    int size() {
        return known.size();
    }
}
