package chorus.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import chorus.api.InvalidRequestException;
import chorus.api.model.Mutation;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class TxnBodyTest {

    static List<Mutation> parse(String json) throws InvalidRequestException {
        return TxnBody.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsPutsAndDeletesWithTheirVersionChecks() throws Exception {
        assertThat(parse("{\"ops\":[{\"op\":\"put\",\"key\":\"a\",\"value\":\"1\"},{\"op\":\"put\",\"key\":\"b\",\"valueBase64\":\"aMOp\",\"ifVersion\":3},"
                + "{\"op\":\"delete\",\"key\":\"c\",\"ifVersion\":0}]}"))
                .containsExactly(Mutation.put("a", "1"), new Mutation.Put("b", "h\u00e9", 3), new Mutation.Delete("c", 0));
    }

    @Test
    void refusesEveryMalformedBodyNamingWhere() {
        assertThatThrownBy(() -> parse("[1]")).hasMessage("body must be a JSON object {\"ops\": [...]}");
        assertThatThrownBy(() -> parse("{\"ops\":[]} x")).hasMessageStartingWith("body is not valid JSON");
        assertThatThrownBy(() -> parse("{\"ops\":{}}")).hasMessage("\"ops\" must be an array of operations");
        assertThatThrownBy(() -> parse("{\"ops\":[],\"extra\":1}")).hasMessage("unknown member 'extra'; the body holds only \"ops\"");
        assertThatThrownBy(() -> parse("{\"ops\":[{\"op\":\"move\",\"key\":\"a\"}]}")).hasMessage("ops[0].op is 'move'; it must be \"put\" or \"delete\"");
        assertThatThrownBy(() -> parse("{\"ops\":[{\"op\":\"put\",\"key\":1,\"value\":\"v\"}]}")).hasMessage("ops[0].key must be a string, not number");
        assertThatThrownBy(() -> parse("{\"ops\":[{\"op\":\"put\",\"key\":\"a\"}]}")).hasMessage("ops[0] (put) needs exactly one of \"value\" and \"valueBase64\"");
        assertThatThrownBy(() -> parse("{\"ops\":[{\"op\":\"put\",\"key\":\"a\",\"value\":\"v\",\"ifVersion\":-1}]}"))
                .hasMessage("ops[0].ifVersion must be a whole number from 0, not -1");
        assertThatThrownBy(() -> parse("{\"ops\":[{\"op\":\"put\",\"key\":\"a\",\"value\":\"v\",\"ifVersion\":1.5}]}"))
                .hasMessageContaining("ifVersion must be a whole number");
        assertThatThrownBy(() -> parse("{\"ops\":[{\"op\":\"delete\",\"key\":\"a\",\"value\":\"v\"}]}")).hasMessageContaining("ops[0] has unknown member 'value'");
        assertThatThrownBy(() -> parse("{\"ops\":[{\"op\":\"put\",\"key\":\"a\",\"valueBase64\":\"/w==\"}]}"))
                .hasMessage("ops[0].valueBase64 does not decode to UTF-8 text; values are text");
    }
}
