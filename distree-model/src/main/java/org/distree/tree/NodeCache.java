package org.distree.tree;

import java.io.IOException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import org.distree.html.NodeFormatException;
import org.distree.model.NodeFile;
import org.distree.store.NodeStore;

/**
 * Parsed node files of a {@link LocalTree}, kept across transactions, least recently used out
 * first: at most 4,096, and at most one per 64 KB of the JVM's maximum heap (a full leaf of a
 * site's index, parsed, takes about 30 to 40 KB), so that a small heap ({@code -Xmx24m}: 384
 * nodes) still has room for a transaction itself.
 *
 * <p>This process is the only writer of the folder (the store's lock), so cached nodes stay
 * current: a transaction puts what it committed ({@link #committed}). Guarded by itself, not
 * by the tree's monitor, so that reads need not wait for writers.
 */
final class NodeCache {
    /** The most nodes kept, from the JVM's maximum heap (see the class comment). */
    static final int MAX_NODES =
            (int) Math.max(64, Math.min(4096, Runtime.getRuntime().maxMemory() / (64 * 1024)));

    private final Map<String, NodeFile> files = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, NodeFile> eldest) {
            return size() > MAX_NODES;
        }
    };

    /**
     * The node file of that name, as last committed (while a transaction commits, possibly as
     * just before it): from memory, or read from the store and kept.
     *
     * @throws IOException if it cannot be read ({@link java.nio.file.NoSuchFileException} when
     *     there is no such file)
     * @throws IllegalStateException if the stored node is malformed
     */
    NodeFile read(NodeStore store, String name) throws IOException {
        NodeFile f;
        synchronized (this) {
            f = files.get(name);
        }
        if (f != null) {
            return f;
        }
        long commits = store.commits();
        try {
            f = store.read(name);
        } catch (NodeFormatException e) {
            throw new IllegalStateException("stored node is malformed: " + e.getMessage(), e);
        }
        synchronized (this) {
            // A commit since the read may have replaced the file, and put the new version here:
            // the version read is then not kept. (Inside a transaction no commit can come.)
            if (store.commits() == commits) {
                files.putIfAbsent(name, f);
            }
        }
        return f;
    }

    /** After a commit: the files it wrote (taken from {@code written}) and those it deleted. */
    synchronized void committed(
            Collection<String> changed, Collection<String> deleted, Map<String, NodeFile> written) {
        for (String name : deleted) {
            files.remove(name);
        }
        for (String name : changed) {
            files.put(name, written.get(name));
        }
    }

    /** Forgets every node: after a commit failed part way, the disk is the only truth. */
    synchronized void clear() {
        files.clear();
    }
}
