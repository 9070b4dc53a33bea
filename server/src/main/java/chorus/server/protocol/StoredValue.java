package chorus.server.protocol;

/** A key's committed state: {@code value} is null when absent (never written, or deleted). */
public record StoredValue(String value, long version) {

    public static final StoredValue ABSENT = new StoredValue(null, 0);

    public boolean present() {
        return value != null;
    }
}
