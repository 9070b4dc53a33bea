package chorus.chaos;

import java.util.Objects;

/** A key as a versioned register: the model the linearizability checker steps through. */
public record RegisterState(boolean present, String value, long version) {

    public static final RegisterState INITIAL = new RegisterState(false, null, 0);

    /** The state after {@code op}, or null if {@code op} cannot happen in this state. */
    RegisterState step(KeyOp op) {
        return switch (op.kind()) {
            case READ -> op.present() == present && Objects.equals(op.value(), value) && op.version() == version ? this : null;
            case MISMATCH -> op.expected() != version ? this : null;
            case WRITE -> {
                if (op.expected() >= 0 && op.expected() != version) {
                    yield null;
                }
                if (op.version() >= 0 && op.version() != version + 1) {
                    yield null;
                }
                yield new RegisterState(op.present(), op.value(), version + 1);
            }
        };
    }

    @Override
    public String toString() {
        return (present ? "'" + value + "'" : "absent") + " v" + version;
    }
}
