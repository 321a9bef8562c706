/**
 * Test support shared by every module's tests: a real nginx, headless Chromium, a Jetty stub
 * server, free ports, and the rule that a test needing a missing tool fails in CI.
 */
@NullMarked
package org.distree.testing;

import org.jspecify.annotations.NullMarked;
