package org.distree.html;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.distree.model.ChildRef;
import org.distree.model.Node;
import org.distree.model.NodeFile;

/**
 * The one place that computes a node's sum ({@link ChildRef#SUM}): the first 8 bytes of SHA-256
 * of the node's file as {@link NodeWriter} writes it with no orphan copies, as 16 lowercase hex
 * digits. The writer of a parent puts it on the child's item; a reader compares it with the sum
 * of the copy it holds. A copy parsed from a file this version wrote renders to the same bytes,
 * so its sum is the writer's; any other copy (written by hand, or by another program) sums to
 * something else, and is simply asked for again.
 */
public final class NodeSums {
    private NodeSums() {}

    /** The sum of a node, rendered alone (about the cost of writing its file). */
    public static String of(Node node) {
        return ofPage(NodeWriter.write(NodeFile.of(node)));
    }

    /** The sum of a node from its file's bytes as written with no orphan copies. */
    public static String ofPage(byte[] page) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(page);
            return HexFormat.of().formatHex(d, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java", e);
        }
    }
}
