/**
 * The simulator (issue 13): many machines on an in-memory network ({@link
 * org.distree.sim.Network}), each a real tree folder with the real maintainer, searched with the
 * real crawler ({@code Searcher.over}), round by round from fixed seeds ({@link
 * org.distree.sim.Simulation}). It depends on the model, the crawler and the maintainer, and
 * nothing depends on it but the command line.
 */
@NullMarked
package org.distree.sim;

import org.jspecify.annotations.NullMarked;
