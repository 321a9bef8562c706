package org.distree.archive;

import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.jspecify.annotations.Nullable;

/**
 * One {@code filter} of the CDX server API, as pywb defines it: {@code [!][=|~]FIELD:EXPRESSION}.
 * Without a modifier, the field's value must contain the expression; with {@code =} it must equal
 * it; with {@code ~} the expression, a regular expression, must match at the start of the value
 * (Python's {@code re.match}; Java's regular expressions, which agree on the common forms);
 * {@code !} before them negates the test. A capture without the field has the empty value. With
 * no {@code FIELD:} (no colon), the test is on the whole CDXJ line. Field names are those of
 * {@link CdxFields#name} ({@code status}, {@code mime}, {@code url}, {@code urlkey}, ...).
 *
 * <p>Examples: {@code filter==mime:text/html}, {@code filter=!=status:200}, {@code
 * filter=~url:.*\.php$}.
 */
public final class CaptureFilter {
    /** How a filter compares. */
    public enum Mode {
        /** The value contains the expression (no modifier). */
        CONTAINS,
        /** The value is the expression ({@code =}). */
        EXACT,
        /** The regular expression matches at the start of the value ({@code ~}). */
        REGEX
    }

    private final @Nullable String field;
    private final Mode mode;
    private final boolean negated;
    private final String expression;
    private final @Nullable Pattern regex;

    /**
     * @param field the field tested (its full name), or null for the whole line
     * @param mode how the value is compared
     * @param negated true when the test is negated
     * @param expression the text or regular expression
     * @throws IllegalArgumentException for a regular expression that does not compile
     */
    public CaptureFilter(@Nullable String field, Mode mode, boolean negated, String expression) {
        this.field = field;
        this.mode = mode;
        this.negated = negated;
        this.expression = expression;
        this.regex = mode == Mode.REGEX ? compile(expression) : null;
    }

    /** The field tested (its full name), or null for the whole line. */
    public @Nullable String field() {
        return field;
    }

    /** How the value is compared. */
    public Mode mode() {
        return mode;
    }

    /** True when the test is negated. */
    public boolean negated() {
        return negated;
    }

    /** The text or regular expression. */
    public String expression() {
        return expression;
    }

    /**
     * A filter as the {@code filter} parameter gives it.
     *
     * @throws IllegalArgumentException for an empty filter or a bad regular expression
     */
    public static CaptureFilter parse(String s) {
        if (s.isEmpty()) {
            throw new IllegalArgumentException("filter is empty");
        }
        String rest = s;
        boolean negated = rest.startsWith("!");
        if (negated) {
            rest = rest.substring(1);
        }
        Mode mode = Mode.CONTAINS;
        if (rest.startsWith("=")) {
            mode = Mode.EXACT;
            rest = rest.substring(1);
        } else if (rest.startsWith("~")) {
            mode = Mode.REGEX;
            rest = rest.substring(1);
        }
        int colon = rest.indexOf(':');
        String field = colon < 0 ? null : CdxFields.name(rest.substring(0, colon));
        String expression = colon < 0 ? rest : rest.substring(colon + 1);
        return new CaptureFilter(field, mode, negated, expression);
    }

    /** True when the capture passes this filter. */
    public boolean test(Capture c) {
        return test(c, CdxFields.of(c));
    }

    /** As {@link #test(Capture)}, with the capture's fields already read. */
    boolean test(Capture c, Map<String, String> fields) {
        String value;
        if (field == null) {
            value = c.line();
        } else {
            String v = fields.get(field);
            value = v == null ? "" : v;
        }
        boolean hit = switch (mode) {
            case CONTAINS -> value.contains(expression);
            case EXACT -> value.equals(expression);
            case REGEX -> java.util.Objects.requireNonNull(regex).matcher(value).lookingAt();
        };
        return hit != negated;
    }

    private static Pattern compile(String regex) {
        try {
            return Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException(
                    "filter: '" + regex + "' is not a regular expression: " + e.getDescription());
        }
    }
}
