/**
 * The HTTP side: handlers, pages and their one escaping function, assembled by {@link
 * org.distree.server.http.Routes}.
 */
@NullMarked
package org.distree.server.http;

import org.jspecify.annotations.NullMarked;
