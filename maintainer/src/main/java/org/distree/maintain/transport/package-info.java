/**
 * How the maintainer reaches other machines: the {@link org.distree.maintain.transport.Transport}
 * interface (tests may simulate many machines in memory) and its HTTP implementation, {@link
 * org.distree.maintain.transport.HttpTransport}, on the crawler's fetcher; and the receiving end,
 * {@link org.distree.maintain.transport.SubmissionQueue}: the folder where a daemon queues the
 * node URLs other machines submit, and the maintainer reads them.
 */
@NullMarked
package org.distree.maintain.transport;

import org.jspecify.annotations.NullMarked;
