package org.distree.rules;

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
 */
public final class Rules {
    /** The 10 KB rule: 10,240 bytes. */
    public static final int MAX_FILE_BYTES = 10_240;

    /** The 16x rule's factor. */
    public static final int SUBTREE_FACTOR = 16;

    private Rules() {}

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
