package chorus.cli;

import chorus.api.model.Mutation;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses the words after {@code kv batch} into mutations:
 * {@code put KEY VALUE}, {@code delete KEY}, {@code cas KEY VERSION VALUE} (put if the key is at
 * VERSION) and {@code cas-delete KEY VERSION}, in any number and order. The whole batch is then
 * checked by {@link chorus.api.Limits#checkBatch} (count, size, no key twice).
 */
public final class BatchParser {

    public static final String SYNTAX = "put KEY VALUE | delete KEY | cas KEY VERSION VALUE | cas-delete KEY VERSION";

    private BatchParser() {
    }

    public static List<Mutation> parse(List<String> words) throws CliException {
        List<Mutation> mutations = new ArrayList<>();
        int i = 0;
        while (i < words.size()) {
            String op = words.get(i);
            int position = i + 1;
            switch (op) {
                case "put" -> {
                    List<String> a = operands(words, i, 2, "KEY VALUE");
                    mutations.add(Mutation.put(Inputs.key(a.get(0)), Inputs.value(a.get(1))));
                    i += 3;
                }
                case "delete" -> {
                    List<String> a = operands(words, i, 1, "KEY");
                    mutations.add(Mutation.delete(Inputs.key(a.get(0))));
                    i += 2;
                }
                case "cas" -> {
                    List<String> a = operands(words, i, 3, "KEY VERSION VALUE");
                    mutations.add(new Mutation.Put(Inputs.key(a.get(0)), Inputs.value(a.get(2)), Inputs.version(a.get(1))));
                    i += 4;
                }
                case "cas-delete" -> {
                    List<String> a = operands(words, i, 2, "KEY VERSION");
                    mutations.add(new Mutation.Delete(Inputs.key(a.get(0)), Inputs.version(a.get(1))));
                    i += 3;
                }
                default -> throw CliException.invalidInput("batch: word " + position + " '" + op
                        + "' is not an operation; expected " + SYNTAX);
            }
        }
        return Inputs.batch(mutations);
    }

    private static List<String> operands(List<String> words, int at, int count, String names) throws CliException {
        int available = words.size() - at - 1;
        if (available < count) {
            throw CliException.invalidInput("batch: '" + words.get(at) + "' at word " + (at + 1) + " needs " + names
                    + " but " + (available == 0 ? "nothing follows" : "only " + available + (available == 1 ? " word follows" : " words follow")));
        }
        return words.subList(at + 1, at + 1 + count);
    }
}
