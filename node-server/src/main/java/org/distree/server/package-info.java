/**
 * The node daemon ({@code distree serve}): {@link org.distree.server.NodeServer}, its settings
 * ({@link org.distree.server.ServerConfig}) and the command. See docs/SERVE.md.
 */
@NullMarked
package org.distree.server;

import org.jspecify.annotations.NullMarked;
