package org.distree.server.http;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Runs a handler that may block (reads a body, waits for a write, fetches from other
 * machines) on a thread of the server's pool, so that the handlers before it and {@link
 * NodeFiles} never block and Jetty may call them on its selector threads, as an event loop
 * (nginx's design) with no hand-off between threads for a node file.
 *
 * <p>A request with a body has it read first, without a thread: each chunk as it arrives, into
 * memory, at most {@code maxBodyBytes} (more is refused with 413 at once, a declared length
 * before a byte is read), and whole within {@code bodyTimeout} of the first read (else 408 and
 * the connection is closed). Only then does the handler run on the pool, reading the body from
 * memory. So clients that send their bodies a byte at a time hold a connection and the bytes
 * they sent, never a request thread (docs/SECURITY.md; {@code
 * AttackConnectionsIT#slowBodiesHoldNoThreadAndAreCutAtTheBodyTimeout}). Bodies are never
 * decompressed here; {@link Bodies} refuses a {@code Content-Encoding}.
 */
final class OnPool extends Handler.Wrapper {
    private final int maxBodyBytes;
    private final Duration bodyTimeout;

    /**
     * @param blocking the handler to run on the pool
     * @param maxBodyBytes the largest body read (the daemon's {@code max-body-bytes})
     * @param bodyTimeout the time a body has to arrive whole ({@code body-timeout-ms})
     */
    OnPool(Handler blocking, int maxBodyBytes, Duration bodyTimeout) {
        super(blocking);
        if (maxBodyBytes < 0 || bodyTimeout.isNegative() || bodyTimeout.isZero()) {
            throw new IllegalArgumentException(
                    "body limits must be positive: " + maxBodyBytes + " bytes, " + bodyTimeout);
        }
        this.maxBodyBytes = maxBodyBytes;
        this.bodyTimeout = bodyTimeout;
    }

    @Override
    public InvocationType getInvocationType() {
        return InvocationType.NON_BLOCKING;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        if (!hasBody(request)) {
            onPool(request, response, callback);
            return true;
        }
        long declared = request.getLength();
        if (declared > maxBodyBytes) {
            return Replies.error(
                    request,
                    response,
                    callback,
                    HttpStatus.PAYLOAD_TOO_LARGE_413,
                    tooLarge(String.format(Locale.ROOT, "the body is %,d bytes, over", declared)));
        }
        new BodyRead(request, response, callback).start();
        return true;
    }

    private static boolean hasBody(Request request) {
        long length = request.getLength();
        return length > 0
                || (length < 0 && request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING));
    }

    private String tooLarge(String start) {
        return start + String.format(Locale.ROOT, " the %,d byte limit", maxBodyBytes);
    }

    private void onPool(Request request, Response response, Callback callback) {
        request.getComponents().getExecutor().execute(() -> {
            try {
                if (!super.handle(request, response, callback)) {
                    Replies.error(
                            request, response, callback, HttpStatus.NOT_FOUND_404, "not found");
                }
            } catch (Throwable t) {
                callback.failed(t);
            }
        });
    }

    /**
     * One body being read: runs whenever content may be there (Jetty's demand), on whichever
     * thread calls it, never blocking; ends once, by the handler on the pool or by an error.
     */
    private final class BodyRead implements Runnable {
        private final Request request;
        private final Response response;
        private final Callback callback;
        private final AtomicBoolean ended = new AtomicBoolean();
        private byte[] bytes = new byte[0];
        private int size;
        private Scheduler.Task deadline = () -> false;

        BodyRead(Request request, Response response, Callback callback) {
            this.request = request;
            this.response = response;
            this.callback = callback;
        }

        void start() {
            deadline = request.getComponents()
                    .getScheduler()
                    .schedule(this::expire, bodyTimeout.toMillis(), TimeUnit.MILLISECONDS);
            run();
        }

        @Override
        public void run() {
            while (!ended.get()) {
                Content.Chunk chunk = request.read();
                if (chunk == null) {
                    request.demand(this);
                    return;
                }
                if (Content.Chunk.isFailure(chunk)) {
                    Throwable failure = chunk.getFailure();
                    if (failure instanceof TimeoutException) {
                        refuse(HttpStatus.REQUEST_TIMEOUT_408, "the request body stopped arriving");
                    } else {
                        refuse(
                                HttpStatus.BAD_REQUEST_400,
                                "the request body could not be read: " + failure);
                    }
                    return;
                }
                ByteBuffer buffer = chunk.getByteBuffer();
                int n = buffer.remaining();
                boolean last = chunk.isLast();
                if (n > maxBodyBytes - size) {
                    chunk.release();
                    refuse(HttpStatus.PAYLOAD_TOO_LARGE_413, tooLarge("the body is over"));
                    return;
                }
                if (size + n > bytes.length) {
                    bytes = Arrays.copyOf(
                            bytes, (int) Math.min(maxBodyBytes, Math.max(size + n, 2L * size)));
                }
                buffer.get(bytes, size, n);
                size += n;
                chunk.release();
                if (last) {
                    if (ended.compareAndSet(false, true)) {
                        deadline.cancel();
                        onPool(
                                new Buffered(request, Arrays.copyOf(bytes, size)),
                                response,
                                callback);
                    }
                    return;
                }
            }
        }

        private void expire() {
            refuse(
                    HttpStatus.REQUEST_TIMEOUT_408,
                    String.format(
                            Locale.ROOT,
                            "the request body did not arrive whole within %,d ms (%,d bytes came)",
                            bodyTimeout.toMillis(),
                            size));
        }

        /** Answers with an error and closes the connection, once. */
        private void refuse(int status, String reason) {
            if (ended.compareAndSet(false, true)) {
                deadline.cancel();
                response.getHeaders().put(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE);
                Replies.error(request, response, callback, status, reason);
            }
        }
    }

    /** The request, its body served whole from memory: reading it never waits. */
    private static final class Buffered extends Request.Wrapper {
        private Content.Chunk next;

        Buffered(Request request, byte[] body) {
            super(request);
            this.next = Content.Chunk.from(ByteBuffer.wrap(body), true);
        }

        @Override
        public synchronized Content.Chunk read() {
            Content.Chunk chunk = next;
            next = Content.Chunk.EOF;
            return chunk;
        }

        @Override
        public void demand(Runnable demandCallback) {
            demandCallback.run();
        }

        @Override
        public boolean consumeAvailable() {
            return true;
        }
    }
}
