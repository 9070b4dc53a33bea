package chorus.api.rmi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import chorus.api.Limits;
import chorus.api.model.Mutation;
import chorus.api.model.TxId;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InvalidClassException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputFilter.Status;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;

/** The filters that remember each class's answer answer as the JDK's pattern filter does. */
class SerialFiltersTest {

    private static final ObjectInputFilter PATTERN = ObjectInputFilter.Config.createFilter(SerialFilters.API_PATTERN);

    private record Info(Class<?> serialClass, long arrayLength, long depth, long references, long streamBytes)
            implements ObjectInputFilter.FilterInfo {
    }

    @Test
    void answersEveryQuestionAsThePatternFilterDoes() {
        List<Class<?>> classes = List.of(String.class, TxId.class, Mutation.Put.class, ArrayList.class, Object[].class,
                byte[].class, String[][].class, int.class, ObjectName.class, ObjectName[].class, Thread.class,
                java.util.HashSet.class);
        List<Info> questions = new ArrayList<>();
        for (Class<?> c : classes) {
            for (long array : new long[] {-1, 0, 100_000, 100_001}) {
                questions.add(new Info(c, array, 1, 1, 100));
            }
            questions.add(new Info(c, -1, 20, 200_000, Limits.MAX_REQUEST_BYTES));
            questions.add(new Info(c, -1, 21, 1, 100));
            questions.add(new Info(c, -1, 1, 200_001, 100));
            questions.add(new Info(c, -1, 1, 1, Limits.MAX_REQUEST_BYTES + 1));
            questions.add(new Info(c, -1, -1, 1, 100));
        }
        questions.add(new Info(null, -1, 3, 5, 100));
        questions.add(new Info(null, -1, 21, 5, 100));
        questions.add(new Info(null, -1, 3, 5, Limits.MAX_REQUEST_BYTES + 1));

        for (int round = 0; round < 2; round++) { // the second time from what it remembered
            for (Info q : questions) {
                assertThat(SerialFilters.API.checkInput(q)).as("%s", q).isEqualTo(PATTERN.checkInput(q));
            }
        }
        assertThat(SerialFilters.API.checkInput(new Info(ObjectName.class, -1, 1, 1, 100))).isEqualTo(Status.REJECTED);
        assertThat(SerialFilters.API.checkInput(new Info(TxId.class, -1, 1, 1, 100))).isEqualTo(Status.ALLOWED);
    }

    @Test
    void admitsWhatPeerCallsMayCarry() {
        assertThat(SerialFilters.admits(TxId.class)).isTrue();
        assertThat(SerialFilters.admits(String.class)).isTrue();
        assertThat(SerialFilters.admits(Thread.class)).isFalse();
        assertThat(SerialFilters.admits(ObjectName.class)).isFalse();
    }

    @Test
    void aStreamWithADisallowedClassIsRefusedBeforeItsCodeRuns() throws Exception {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(b)) {
            out.writeObject(new ArrayList<>(List.of("fine", new AtomicInteger(7))));
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(b.toByteArray()))) {
            in.setObjectInputFilter(SerialFilters.PEER);
            assertThatThrownBy(in::readObject).isInstanceOf(InvalidClassException.class).hasMessageContaining("REJECTED");
        }
    }

    @Test
    void allowedValuesComeBack() throws IOException, ClassNotFoundException {
        List<Object> value = new ArrayList<>(List.of("a", 1L, new TxId(1, 2, 3)));
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(b)) {
            out.writeObject(value);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(b.toByteArray()))) {
            in.setObjectInputFilter(SerialFilters.API);
            assertThat(in.readObject()).isEqualTo(value);
        }
    }
}
