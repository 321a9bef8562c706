/**
 * The node daemon ({@code distree serve}): {@link org.distree.server.NodeServer}, its settings
 * ({@link org.distree.server.ServerConfig}) and the maintainer it hosts on its own tree. See
 * docs/SERVE.md.
 */
@NullMarked
package org.distree.server;

import org.jspecify.annotations.NullMarked;
