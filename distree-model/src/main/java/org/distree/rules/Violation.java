package org.distree.rules;

/**
 * A broken rule, printed as {@code where: rule: details}, such as {@code n/1a.html: 10KB: 12,311
 * bytes, over the 10,240 byte limit}.
 *
 * @param where the file, with {@code #fragment} or {@code #item N} when it is narrower
 * @param rule the rule's short name, as listed in docs/FORMAT.md
 * @param details what was found, with the numbers
 */
public record Violation(String where, String rule, String details) {
    @Override
    public String toString() {
        return where + ": " + rule + ": " + details;
    }
}
