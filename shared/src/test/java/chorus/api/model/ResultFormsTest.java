package chorus.api.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import chorus.api.rmi.SerialFilters;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InvalidObjectException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Read and write results travel in compact forms: same values back, no field descriptors on the wire. */
class ResultFormsTest {

    private static byte[] bytes(Object o) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(b)) {
            out.writeObject(o);
        }
        return b.toByteArray();
    }

    private static Object back(byte[] bytes) throws IOException, ClassNotFoundException {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
            in.setObjectInputFilter(SerialFilters.API);
            return in.readObject();
        }
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    @Test
    void aReadResultComesBackEqualAndItsFormCarriesNoFieldDescriptors() throws Exception {
        ReadResult found = new ReadResult("user/1", true, "v".repeat(100), 7, 3);
        ReadResult missing = new ReadResult("nobody", false, null, 0, 2);

        byte[] b = bytes(found);
        assertThat(back(b)).isEqualTo(found);
        assertThat(back(bytes(missing))).isEqualTo(missing);
        assertThat(text(b)).contains("ReadResult$Form").doesNotContain("Ljava/lang/String;");
    }

    @Test
    void aWriteResultComesBackEqualAndItsFormCarriesNoFieldDescriptors() throws Exception {
        WriteResult w = new WriteResult(new TxId(2, 5, 99), Map.of("a", 3L, "b", 1L, "c", 12L), 1234, 2, 2);

        byte[] b = bytes(w);
        assertThat(back(b)).isEqualTo(w);
        assertThat(text(b)).contains("WriteResult$Form").doesNotContain("TxId").doesNotContain("java.util");
    }

    @Test
    void aFormWithAnImpossibleTransactionIdIsRefused() throws Exception {
        byte[] b = bytes(new WriteResult(new TxId(2, 5, 99), Map.of("a", 3L), 1, 1, 2));
        // The coordinator id is the form's first int, right after its block-data header: make it 0.
        String s = text(b);
        int form = s.indexOf("WriteResult$Form");
        int at = s.indexOf(new String(new byte[] {0, 0, 0, 2}, StandardCharsets.ISO_8859_1), form);
        b[at + 3] = 0;

        assertThatThrownBy(() -> back(b)).isInstanceOf(InvalidObjectException.class).hasMessageContaining("invalid write result");
    }
}
