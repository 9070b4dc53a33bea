package chorus.api.model;

import java.io.Serializable;

/**
 * One change within a transaction: a put or a delete of one key, optionally conditional on the
 * key's current version. A key that never existed has version 0; a deleted key keeps the version
 * of its delete, so a version check never mistakes a re-created key for the old one.
 */
public sealed interface Mutation extends Serializable permits Mutation.Put, Mutation.Delete {

    /** Expected version meaning "whatever the current version is". */
    long ANY_VERSION = -1;

    String key();

    long expectedVersion();

    default boolean conditional() {
        return expectedVersion() != ANY_VERSION;
    }

    static Put put(String key, String value) {
        return new Put(key, value, ANY_VERSION);
    }

    static Delete delete(String key) {
        return new Delete(key, ANY_VERSION);
    }

    record Put(String key, String value, long expectedVersion) implements Mutation {
        @Override
        public String toString() {
            return "put " + key + (conditional() ? "@" + expectedVersion : "");
        }
    }

    record Delete(String key, long expectedVersion) implements Mutation {
        @Override
        public String toString() {
            return "delete " + key + (conditional() ? "@" + expectedVersion : "");
        }
    }
}
