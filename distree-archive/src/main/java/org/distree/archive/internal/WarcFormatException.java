package org.distree.archive.internal;

import java.io.IOException;

/** A WARC record, or the HTTP header in it, that does not follow the format. */
public final class WarcFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    public WarcFormatException(String message) {
        super(message);
    }
}
