package org.distree.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.distree.html.NodeWriter;
import org.distree.model.ChildRef;
import org.distree.model.Node;

/**
 * The one place for the 10 KB rule and the 16x rule.
 *
 * <ul>
 *   <li>10 KB: a node file is at most {@value #MAX_FILE_BYTES} bytes of UTF-8, as measured by
 *       {@link NodeWriter#byteSize}.
 *   <li>16x: a node that is not a root and has children has a size at least {@value
 *       #SUBTREE_FACTOR} times the size of its largest child. A node that breaks a rule is not an
 *       acceptable child; its own children may be.
 * </ul>
 *
 * <p>{@link #violations} says which of the two a node breaks, with the message that {@code
 * distree lint} and a refused submission both show.
 */
public final class Rules {
    /** The 10 KB rule: 10,240 bytes. */
    public static final int MAX_FILE_BYTES = 10_240;

    /** The 16x rule's factor. */
    public static final int SUBTREE_FACTOR = 16;

    private Rules() {}

    /**
     * A rule a node breaks: its name as lint reports it ({@code 10KB}, {@code 16x}) and what was
     * found, with the numbers. Printed as {@code rule: details}.
     */
    public record Broken(String rule, String details) {
        @Override
        public String toString() {
            return rule + ": " + details;
        }
    }

    /**
     * The rules that make a node an acceptable child that {@code node} breaks, 10 KB (the node
     * written alone, {@link NodeWriter#byteSize}) first, then 16x; empty exactly when {@link
     * #acceptableChild} holds. A root is exempt from 16x: callers that check a root skip that
     * one.
     */
    public static List<Broken> violations(Node node) {
        List<Broken> out = new ArrayList<>(2);
        fileSize(NodeWriter.byteSize(node)).ifPresent(out::add);
        sixteenX(node).ifPresent(out::add);
        return out;
    }

    /**
     * The 10 KB rule on a file of {@code bytes}: {@code 10KB: 12,311 bytes, over the 10,240 byte
     * limit}, or empty when it {@link #fits(long) fits}.
     */
    public static Optional<Broken> fileSize(long bytes) {
        if (fits(bytes)) {
            return Optional.empty();
        }
        return Optional.of(new Broken(
                "10KB",
                String.format(
                        Locale.ROOT, "%,d bytes, over the %,d byte limit", bytes, MAX_FILE_BYTES)));
    }

    /**
     * The 16x rule on a node that is not a root: {@code 16x: size 100 is under 16 x 10, the size
     * of its largest child}, or empty when it {@link #obeysSixteenX(Node) obeys} it.
     */
    public static Optional<Broken> sixteenX(Node node) {
        long largest = largestChild(node);
        if (obeysSixteenX(node.size(), largest)) {
            return Optional.empty();
        }
        return Optional.of(new Broken(
                "16x",
                String.format(
                        Locale.ROOT,
                        "size %,d is under %d x %,d, the size of its largest child",
                        node.size(),
                        SUBTREE_FACTOR,
                        largest)));
    }

    /** True when the node, written alone, is within the 10 KB rule. */
    public static boolean fits(Node node) {
        return fits(NodeWriter.byteSize(node));
    }

    /** True when a file of {@code bytes} (a {@link NodeWriter#byteSize}) keeps the 10 KB rule. */
    public static boolean fits(long bytes) {
        return bytes <= MAX_FILE_BYTES;
    }

    /** The size of the node's largest child, or 0 for a leaf or a node with no children. */
    public static long largestChild(Node node) {
        long max = 0;
        for (ChildRef c : node.children()) {
            max = Math.max(max, c.size());
        }
        return max;
    }

    /** True when the node obeys the 16x rule as a non-root node (leaves always do). */
    public static boolean obeysSixteenX(Node node) {
        return obeysSixteenX(node.size(), largestChild(node));
    }

    /** The 16x rule on numbers: a node of {@code size} whose largest child has {@code largest}. */
    public static boolean obeysSixteenX(long size, long largest) {
        return largest == 0 || size >= SUBTREE_FACTOR * largest;
    }

    /** True when the node may be linked as a child: it obeys the 10 KB and 16x rules. */
    public static boolean acceptableChild(Node node) {
        return obeysSixteenX(node) && fits(node);
    }
}
