package org.distree.server;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.jspecify.annotations.Nullable;

/**
 * Bounds the connections one client address holds open at once: a connection that would be one
 * over {@code max} is closed as soon as it opens, before a byte of it is read (nginx's {@code
 * limit_conn}, at the socket). Added to the connector as a bean, so Jetty tells it of every
 * connection's opening and closing.
 *
 * <p>The count is by the socket's remote address (a proxy's clients share the proxy's, so the
 * daemon applies no limit with {@code trust-forwarded}). Memory: one small entry per address
 * with a connection open, removed when its last one closes, and one per counted connection.
 */
final class ClientConnections implements Connection.Listener {
    private final int max;
    private final ConcurrentHashMap<InetAddress, Integer> open = new ConcurrentHashMap<>();
    /** Each counted connection's client: once closed, its end point no longer says. */
    private final ConcurrentHashMap<Connection, InetAddress> counted = new ConcurrentHashMap<>();

    private final AtomicLong refused = new AtomicLong();

    /** @param max the most connections one address may hold open, at least 1 */
    ClientConnections(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("max must be at least 1: " + max);
        }
        this.max = max;
    }

    @Override
    public void onOpened(Connection connection) {
        InetAddress client = client(connection.getEndPoint());
        if (client == null) {
            return;
        }
        boolean[] admitted = {false};
        open.compute(client, (a, n) -> {
            int now = n == null ? 0 : n;
            if (now >= max) {
                return n;
            }
            admitted[0] = true;
            return now + 1;
        });
        if (admitted[0]) {
            counted.put(connection, client);
        } else {
            // Jetty may not report the close of a connection closed while it opens: it was
            // never counted, so nothing is taken off for it either way.
            refused.incrementAndGet();
            connection.getEndPoint().close();
        }
    }

    @Override
    public void onClosed(Connection connection) {
        InetAddress client = counted.remove(connection);
        if (client != null) {
            open.computeIfPresent(client, (a, n) -> n > 1 ? n - 1 : null);
        }
    }

    /** Connections closed at their opening since the start. */
    long refused() {
        return refused.get();
    }

    /** Connections {@code client} holds open now, as counted here. */
    int openFrom(InetAddress client) {
        return open.getOrDefault(client, 0);
    }

    private static @Nullable InetAddress client(EndPoint endPoint) {
        SocketAddress remote = endPoint.getRemoteSocketAddress();
        return remote instanceof InetSocketAddress a ? a.getAddress() : null;
    }
}
