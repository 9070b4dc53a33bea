package chorus.server.testing;

import chorus.api.config.Coordination;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A test class's cluster of real replica processes, as {@code @TempDir} is its directory: a static
 * {@link LocalCluster} field with this annotation is started before the class's first test (in a
 * temporary directory, with {@link LocalCluster#TEST_TIMEOUTS}) and stopped, by pid, after its last.
 *
 * <pre>{@code
 * @Replicas(5)
 * static LocalCluster cluster;
 * }</pre>
 */
@Target(ElementType.FIELD)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(LocalClusterExtension.class)
public @interface Replicas {

    /** How many replicas. */
    int value();

    /** Starts the replicas with {@code --allow-faults}, so that tests may inject faults. */
    boolean allowFaults() default false;

    /** Which replica coordinates a write (the cluster file's {@code coordination}). */
    Coordination coordination() default Coordination.RECEIVER;
}
