package org.distree.rules;

import org.distree.model.Keys;

/**
 * How full this project's writers fill a node file, as shares of the 10 KB rule ({@link
 * Rules#MAX_FILE_BYTES}, 10,240 bytes). The rule itself is only {@link Rules#fits}; these shares
 * leave room so that a file does not split again at the next insert, and they are the one place
 * each writer takes its share from.
 *
 * <table>
 *   <caption>Fill budgets</caption>
 *   <tr><th>constant</th><th>share</th><th>bytes</th><th>used by</th></tr>
 *   <tr><td>{@link #BUILD_FILL}</td><td>0.90</td><td>9,216</td>
 *       <td>a bulk build ({@code distree build --fill}, {@code index-site --fill}); leaves
 *       room for inserts</td></tr>
 *   <tr><td>{@link #SPLIT_FILL}</td><td>0.95</td><td>9,728</td>
 *       <td>pieces of a split, and two neighbours merged into one</td></tr>
 *   <tr><td>{@link #MERGE_BELOW}</td><td>0.25</td><td>2,560</td>
 *       <td>a node under this is merged with a neighbour</td></tr>
 *   <tr><td>{@link #ADOPT_FILL}</td><td>0.85</td><td>8,704</td>
 *       <td>the maintainer adopts alternates only while the node stays within this; the rest is
 *       room for the cover to grow</td></tr>
 * </table>
 */
public final class Budgets {
    /** A bulk build's default fill: 0.90 of the byte budget, leaving room for inserts. */
    public static final double BUILD_FILL = 0.90;

    /** The least fill a bulk build takes: 0.5. */
    public static final double MIN_BUILD_FILL = 0.5;

    /** The most fill a bulk build takes: 1.0. */
    public static final double MAX_BUILD_FILL = 1.0;

    /**
     * Pieces of a split are filled to at most 0.95 of the byte budget, and two neighbours are
     * merged only when the result stays within it.
     */
    public static final double SPLIT_FILL = 0.95;

    /** A node under 0.25 of the byte budget is merged with a neighbour when both fit. */
    public static final double MERGE_BELOW = 0.25;

    /**
     * The maintainer adopts alternates (other machines' nodes) into a node only while the node
     * stays within 0.85 of the byte budget: the rest is room for the cover to grow.
     */
    public static final double ADOPT_FILL = 0.85;

    /**
     * Room kept, when a node is cut, for the two bounds its pieces get: the page shows each bound
     * in its attributes and, cut short, in its title and text, so 2 x 4 x 64 (the longest key) =
     * 512 bytes.
     */
    public static final int BOUNDS_ROOM = 2 * 4 * Keys.MAX_KEY_BYTES;

    private Budgets() {}

    /** True when a file of {@code bytes} is within {@code share} of the byte budget. */
    public static boolean within(long bytes, double share) {
        return bytes <= Rules.MAX_FILE_BYTES * share;
    }

    /**
     * The bytes left for the items of a node whose page takes {@code fixedBytes} without its
     * items and without bounds ({@link org.distree.html.NodeWriter#fixedBytes}), keeping {@link
     * #BOUNDS_ROOM}: {@code 10,240 - fixedBytes - 512}.
     */
    public static int itemCapacity(int fixedBytes) {
        return Rules.MAX_FILE_BYTES - fixedBytes - BOUNDS_ROOM;
    }

    /**
     * Checks a bulk build's fill and returns it.
     *
     * @throws IllegalArgumentException when it is outside {@value #MIN_BUILD_FILL}..{@value
     *     #MAX_BUILD_FILL}
     */
    public static double requireBuildFill(double fill) {
        if (fill < MIN_BUILD_FILL || fill > MAX_BUILD_FILL) {
            throw new IllegalArgumentException("fill " + fill + " is outside 0.5..1.0");
        }
        return fill;
    }
}
