package org.distree.maintain.internal;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.distree.maintain.transport.SubmissionQueue;

/**
 * Takes in the accepted submissions the node daemon queued for the maintainer ({@link
 * SubmissionQueue}, docs/PROTOCOL.md): the maintainer remembers each URL as a neighbor, then
 * deletes the file. A file that is not such a submission is deleted too, after being skipped: the
 * daemon checked it, and the sync fetches and checks the node again before using anything in it.
 */
public final class Inbox {
    /** The most files taken in one run. */
    public static final int MAX_PER_RUN = 1000;

    private Inbox() {}

    /** Takes the queued submissions into the state's neighbors; returns how many. */
    public static int drain(Path data, State state) throws IOException {
        List<Path> files = SubmissionQueue.oldest(data, MAX_PER_RUN);
        if (files.isEmpty()) {
            return 0;
        }
        int taken = 0;
        for (Path p : files) {
            URI url = SubmissionQueue.url(p);
            if (url != null) {
                state.addNeighbor(url.toString());
                taken++;
            }
        }
        state.save();
        for (Path p : files) {
            Files.deleteIfExists(p);
        }
        return taken;
    }
}
