package chorus.server.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import chorus.api.model.TxId;
import chorus.server.protocol.Wire;
import java.rmi.server.RMIClassLoader;
import org.junit.jupiter.api.Test;

class KnownClassesTest {

    private final KnownClasses classes = new KnownClasses();
    private final ClassLoader app = KnownClassesTest.class.getClassLoader();

    @Test
    void findsWhatTheStandardProviderFindsAndRemembersTheReplicasOwnMessages() throws Exception {
        for (String name : new String[] {"chorus.api.model.TxId", "chorus.server.protocol.Wire$Exchange", "java.lang.String"}) {
            assertThat(classes.loadClass(null, name, app)).isSameAs(RMIClassLoader.getDefaultProviderInstance().loadClass(null, name, app));
        }
        assertThat(classes.size()).isEqualTo(3);

        // Asked again, without a loader (as on a connection thread): the same classes, nothing new.
        assertThat(classes.loadClass(null, "chorus.api.model.TxId", null)).isSameAs(TxId.class);
        assertThat(classes.loadClass(null, "chorus.server.protocol.Wire$Exchange", null)).isSameAs(Wire.Exchange.class);
        assertThat(classes.size()).isEqualTo(3);
    }

    @Test
    void forgetsClassesTheFiltersRefuseAndNamesThatNameNothing() throws Exception {
        assertThat(classes.loadClass(null, "java.lang.Thread", app)).isSameAs(Thread.class);
        assertThat(classes.loadClass(null, "javax.management.ObjectName", app)).isNotNull();
        assertThatThrownBy(() -> classes.loadClass(null, "chorus.NoSuchClass", app)).isInstanceOf(ClassNotFoundException.class);
        assertThat(classes.size()).isZero();
    }

    @Test
    void installsItselfOnlyWhereNoOtherProviderIsNamed() {
        String before = System.getProperty(KnownClasses.PROVIDER_PROPERTY);
        try {
            System.setProperty(KnownClasses.PROVIDER_PROPERTY, "some.other.Provider");
            KnownClasses.install();
            assertThat(System.getProperty(KnownClasses.PROVIDER_PROPERTY)).isEqualTo("some.other.Provider");

            System.clearProperty(KnownClasses.PROVIDER_PROPERTY);
            KnownClasses.install();
            assertThat(System.getProperty(KnownClasses.PROVIDER_PROPERTY)).isEqualTo(KnownClasses.class.getName());
        } finally {
            if (before == null) {
                System.clearProperty(KnownClasses.PROVIDER_PROPERTY);
            } else {
                System.setProperty(KnownClasses.PROVIDER_PROPERTY, before);
            }
        }
    }
}
