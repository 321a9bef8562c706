package org.distree.archive;

/**
 * Where a capture is replayed: a URL template with {@code {url}} (the captured URL, as recorded)
 * and usually {@code {timestamp}} (the 14 digits), such as pywb's and the Wayback Machine's
 * {@code https://archive.example/web/{timestamp}/{url}}. Each capture's entry links the template
 * filled in. The default, {@value #DEFAULT}, is what {@code wayback} of pywb serves for a
 * collection named {@code archive} on its default port. A template without {@code {timestamp}},
 * such as {@code {url}} alone, links every capture of a URL to the same place (the live page:
 * {@code distree search --verify} then tells which pages changed since they were captured).
 */
public record ReplayTemplate(String pattern) {
    /** The default template: pywb on its default port, collection {@code archive}. */
    public static final String DEFAULT = "http://localhost:8080/archive/{timestamp}/{url}";

    /** @throws IllegalArgumentException when the pattern lacks {@code {url}} */
    public ReplayTemplate {
        if (!pattern.contains("{url}")) {
            throw new IllegalArgumentException("replay template '" + pattern + "' has no {url}");
        }
    }

    /** The default template. */
    public static ReplayTemplate defaults() {
        return new ReplayTemplate(DEFAULT);
    }

    /** The link to the capture of {@code url} at {@code timestamp}. */
    public String link(String timestamp, String url) {
        return pattern.replace("{timestamp}", timestamp).replace("{url}", url);
    }
}
