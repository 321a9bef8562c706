/**
 * The maintainer: jobs that keep a machine's tree within the rules and sync it with other
 * machines (docs/PROTOCOL.md). The public surface is {@link org.distree.maintain.Maintainer},
 * its settings ({@link org.distree.maintain.MaintainerConfig}), its schedule ({@link
 * org.distree.maintain.MaintenanceScheduler}) and what a run did ({@link
 * org.distree.maintain.JobReport}); the jobs themselves are package-private here. Below, in one
 * direction only: {@code org.distree.maintain.internal} (the remote walk, rate limits, the state
 * file) and {@code org.distree.maintain.transport} (how other machines are reached).
 */
@NullMarked
package org.distree.maintain;

import org.jspecify.annotations.NullMarked;
