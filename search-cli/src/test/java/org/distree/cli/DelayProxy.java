package org.distree.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * A TCP proxy that adds a fixed one-way delay to every chunk of bytes it passes, in each
 * direction: the stand-in for {@code tc netem delay} where the kernel has no netem ({@link
 * NetLab}). Run as a program: {@code DelayProxy DELAY_MS LISTEN_HOST:PORT=TARGET_HOST:PORT ...}.
 * It prints {@code delay proxy ready} once every address listens, and runs until killed.
 *
 * <pre>
 * client ─► accept ─► reader ─► queue (each chunk due at its arrival + delay) ─► writer ─► target
 * client ◄─ writer ◄─ queue ◄─ reader ◄─────────────────────────────────────────────── target
 * </pre>
 *
 * <p>Chunks keep their order and are due at their arrival plus the delay, so a stream flows at
 * full speed, only late by the delay, as over a long link (no bandwidth limit). The connection
 * to the target is opened when a client connects, without delay; the first bytes then wait the
 * delay. The end of a stream is passed on (half-close) after the delay as well.
 */
final class DelayProxy {
    private static final int CHUNK = 16 * 1024;

    private DelayProxy() {}

    public static void main(String[] args) throws IOException {
        long delayNanos = TimeUnit.MILLISECONDS.toNanos(Long.parseLong(args[0]));
        for (String map : Arrays.asList(args).subList(1, args.length)) {
            String[] sides = map.split("=", 2);
            InetSocketAddress listen = address(sides[0]);
            InetSocketAddress target = address(sides[1]);
            ServerSocket server = new ServerSocket();
            server.setReuseAddress(true);
            server.bind(listen, 256);
            start("accept " + listen, () -> accept(server, target, delayNanos));
        }
        System.out.println("delay proxy ready");
        System.out.flush();
    }

    private static InetSocketAddress address(String hostPort) throws IOException {
        int colon = hostPort.lastIndexOf(':');
        return new InetSocketAddress(
                InetAddress.getByName(hostPort.substring(0, colon)),
                Integer.parseInt(hostPort.substring(colon + 1)));
    }

    private static void accept(ServerSocket server, InetSocketAddress target, long delayNanos) {
        while (true) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return;
            }
            start("connect " + target, () -> {
                Socket upstream = new Socket();
                try {
                    upstream.connect(target, 10_000);
                } catch (IOException e) {
                    closeBoth(client, upstream);
                    return;
                }
                AtomicInteger ended = new AtomicInteger();
                pipe(client, upstream, delayNanos, ended);
                pipe(upstream, client, delayNanos, ended);
            });
        }
    }

    /**
     * Reads {@code from} into a queue and writes each chunk to {@code to} once it is due; the
     * second direction to end closes both sockets.
     */
    private static void pipe(Socket from, Socket to, long delayNanos, AtomicInteger ended) {
        BlockingQueue<Chunk> queue = new LinkedBlockingQueue<>();
        start("read", () -> {
            try {
                InputStream in = from.getInputStream();
                byte[] buf = new byte[CHUNK];
                for (int n; (n = in.read(buf)) >= 0; ) {
                    queue.add(new Chunk(System.nanoTime() + delayNanos, Arrays.copyOf(buf, n)));
                }
            } catch (IOException e) {
                // a reset or a close: pass the end on
            }
            queue.add(new Chunk(System.nanoTime() + delayNanos, null));
        });
        start("write", () -> {
            try {
                OutputStream out = to.getOutputStream();
                while (true) {
                    Chunk c = queue.take();
                    long wait = c.due - System.nanoTime();
                    if (wait > 0) {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    }
                    byte[] bytes = c.bytes;
                    if (bytes == null) {
                        to.shutdownOutput();
                        if (ended.incrementAndGet() == 2) {
                            closeBoth(from, to);
                        }
                        return;
                    }
                    out.write(bytes);
                    out.flush();
                }
            } catch (IOException | InterruptedException e) {
                closeBoth(from, to);
            }
        });
    }

    private static void closeBoth(Socket a, Socket b) {
        for (Socket s : new Socket[] {a, b}) {
            try {
                s.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }

    private static void start(String name, Runnable r) {
        new Thread(r, "delay-proxy " + name).start();
    }

    /** Bytes read at one time, or the end of the stream ({@code bytes} null), and when due. */
    private static final class Chunk {
        final long due;
        final byte @Nullable [] bytes;

        Chunk(long due, byte @Nullable [] bytes) {
            this.due = due;
            this.bytes = bytes;
        }
    }
}
