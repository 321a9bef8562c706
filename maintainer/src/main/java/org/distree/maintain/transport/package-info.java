/**
 * How the maintainer reaches other machines: the {@link org.distree.maintain.transport.Transport}
 * interface (tests may simulate many machines in memory) and its HTTP implementation, {@link
 * org.distree.maintain.transport.HttpTransport}, on the crawler's fetcher.
 */
@NullMarked
package org.distree.maintain.transport;

import org.jspecify.annotations.NullMarked;
