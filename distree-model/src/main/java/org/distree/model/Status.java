package org.distree.model;

import java.util.Locale;

/** What the last check of a child found. */
public enum Status {
    /** The child was fetched, parsed and obeys the rules. */
    OK,
    /** The last checks failed, but not for long enough to call the child dead. */
    FAILING,
    /** The child failed every check for longer than the dead-after period. */
    DEAD;

    /** The attribute value: {@code ok}, {@code failing} or {@code dead}. */
    public String attribute() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses an attribute value; throws IllegalArgumentException naming the value. */
    public static Status parse(String value) {
        for (Status s : values()) {
            if (s.attribute().equals(value)) {
                return s;
            }
        }
        throw new IllegalArgumentException(
                "status '" + Keys.abbreviate(value, 20) + "' is not one of ok, failing, dead");
    }
}
