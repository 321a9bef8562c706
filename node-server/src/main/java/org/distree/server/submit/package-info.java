/**
 * Submissions from other machines: the immediate URL checks, the background fetch and rule check,
 * and the durable queue the maintainer reads.
 */
@NullMarked
package org.distree.server.submit;

import org.jspecify.annotations.NullMarked;
