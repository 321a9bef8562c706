package org.distree.crawl;

import org.distree.query.NodeSource;
import org.jspecify.annotations.Nullable;

/**
 * The answer to a conditional fetch ({@link HttpNodeSource#fetchIfChanged}): the file and its
 * validators, or, when the server said the file has not changed since the validators sent
 * ({@code 304}), no file and those validators.
 */
public record Revalidated(NodeSource.@Nullable Fetched fetched, Validators validators) {
    public boolean notModified() {
        return fetched == null;
    }
}
