/**
 * Charts of simulations (issue 13's plots): reads the CSV files that {@code distree simulate}
 * writes ({@link org.distree.sim.plot.CsvTable}) and draws them as PNG images with XChart
 * ({@link org.distree.sim.plot.Plots}): recall by round, rounds to full recall and lookup
 * fetches against machines, recall before any repair against the share of machines stopped, and
 * the distribution of storage per machine. It draws into images in memory and never needs a
 * display (it runs with {@code java.awt.headless=true}). It reads files only: it depends on
 * nothing else in Distree, and {@code org.distree.sim} does not depend on it.
 */
@NullMarked
package org.distree.sim.plot;

import org.jspecify.annotations.NullMarked;
