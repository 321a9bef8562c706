package org.distree.server.http;

import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;

/** Reading request bodies within a byte limit. */
final class Bodies {
    /** A body that cannot be had: the status to answer and why. */
    static final class BodyException extends Exception {
        final int status;

        BodyException(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    private Bodies() {}

    /** The whole body, refused with 413 when it is over {@code max} bytes. */
    static byte[] read(Request request, int max) throws BodyException {
        String encoding = request.getHeaders().get(HttpHeader.CONTENT_ENCODING);
        if (encoding != null && !encoding.strip().equalsIgnoreCase("identity")) {
            throw new BodyException(
                    HttpStatus.UNSUPPORTED_MEDIA_TYPE_415,
                    "compressed request" + " bodies are not accepted (Content-Encoding: "
                            + encoding.strip() + ")");
        }
        long declared = request.getLength();
        if (declared > max) {
            throw tooLarge(declared, max);
        }
        try (InputStream in = Content.Source.asInputStream(request)) {
            byte[] body = in.readNBytes(max + 1);
            if (body.length > max) {
                throw tooLarge(-1, max);
            }
            return body;
        } catch (IOException | RuntimeException e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof HttpException h
                        && h.getCode() == HttpStatus.PAYLOAD_TOO_LARGE_413) {
                    throw tooLarge(-1, max);
                }
            }
            throw new BodyException(
                    HttpStatus.BAD_REQUEST_400,
                    "the request body could not be" + " read: " + e.getMessage());
        }
    }

    private static BodyException tooLarge(long bytes, int max) {
        return new BodyException(
                HttpStatus.PAYLOAD_TOO_LARGE_413,
                (bytes > 0
                                ? String.format(Locale.ROOT, "the body is %,d bytes, over", bytes)
                                : "the body is over")
                        + String.format(Locale.ROOT, " the %,d byte limit", max));
    }
}
