package org.distree.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Free TCP ports on loopback addresses (127.0.0.1, or 127.x.y.z standing in for a machine). */
public final class Ports {
    private Ports() {}

    /**
     * A port that was free on {@code host} a moment ago: the caller binds it soon after (another
     * process could take it in between, which on a test machine does not happen in practice).
     */
    public static int free(String host) {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(host))) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on " + host, e);
        }
    }
}
