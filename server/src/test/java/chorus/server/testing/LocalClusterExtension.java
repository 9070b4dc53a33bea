package chorus.server.testing;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;

/** Starts and stops the clusters of {@link Replicas} fields; see there. */
public final class LocalClusterExtension implements BeforeAllCallback, AfterAllCallback {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(LocalClusterExtension.class);

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        for (Field field : context.getRequiredTestClass().getDeclaredFields()) {
            Replicas replicas = field.getAnnotation(Replicas.class);
            if (replicas == null) {
                continue;
            }
            if (!Modifier.isStatic(field.getModifiers()) || field.getType() != LocalCluster.class) {
                throw new ExtensionConfigurationException("@Replicas goes on a static LocalCluster field, not on " + field);
            }
            Path dir = Files.createTempDirectory("chorus-" + context.getRequiredTestClass().getSimpleName() + "-");
            context.getStore(NAMESPACE).put(field.getName(), new Started(dir, null));
            LocalCluster cluster = LocalCluster.start(replicas.value(), dir, LocalCluster.TEST_TIMEOUTS, replicas.allowFaults(),
                    replicas.coordination());
            context.getStore(NAMESPACE).put(field.getName(), new Started(dir, cluster));
            field.setAccessible(true);
            field.set(null, cluster);
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        for (Field field : context.getRequiredTestClass().getDeclaredFields()) {
            if (field.isAnnotationPresent(Replicas.class)) {
                Started started = context.getStore(NAMESPACE).remove(field.getName(), Started.class);
                if (started != null) {
                    started.stop();
                }
                field.setAccessible(true);
                field.set(null, null);
            }
        }
    }

    /** A cluster (null if it did not start) and the directory that holds its data and logs. */
    private record Started(Path dir, LocalCluster cluster) {
        void stop() throws IOException {
            try {
                if (cluster != null) {
                    cluster.close();
                }
            } finally {
                try (Stream<Path> files = Files.walk(dir)) {
                    for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(p);
                    }
                }
            }
        }
    }
}
