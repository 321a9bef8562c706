package org.distree.testing;

import org.junit.jupiter.api.Assumptions;

/**
 * Tools a test needs from the system (nginx, Chromium). Where one is missing the test is
 * skipped on a developer's machine, but fails when the environment variable {@code CI} is
 * {@code true}, so a CI run cannot pass green without running it.
 */
public final class Required {
    private Required() {}

    /** True when running in CI ({@code CI=true}, as {@code .ci/run} is run). */
    public static boolean inCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /**
     * Returns when {@code installed}; otherwise fails in CI and skips elsewhere.
     *
     * @param what the tool, as a person would name it in a message
     */
    public static void tool(boolean installed, String what) {
        if (installed) {
            return;
        }
        if (inCi()) {
            throw new AssertionError(what + " is not installed, and CI=true: in CI this test must"
                    + " run (.ci/run installs it)");
        }
        Assumptions.abort(what + " is not installed; skipped (in CI this fails)");
    }
}
