package org.distree.crawl;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.SystemDefaultDnsResolver;

/**
 * The one place that tells public internet addresses from loopback, private, link-local and
 * other special ones. Outbound fetches from a daemon refuse the latter unless the operator
 * allows them; the daemon checks submitted URLs with the same test.
 */
public final class Addresses {
    private Addresses() {}

    /**
     * A resolver for HttpClient 5 that, unless {@code allowPrivate}, refuses a host name that
     * resolves to any address that is not public, so that outside input cannot point a fetch at
     * the machine's own network. It checks every address a name resolves to, and the targets of
     * redirects pass through it too.
     */
    public static DnsResolver resolver(boolean allowPrivate) {
        return new Resolver(allowPrivate);
    }

    private static final class Resolver implements DnsResolver {
        private final boolean allowPrivate;

        Resolver(boolean allowPrivate) {
            this.allowPrivate = allowPrivate;
        }

        @Override
        public InetAddress[] resolve(String host) throws UnknownHostException {
            InetAddress[] all = SystemDefaultDnsResolver.INSTANCE.resolve(host);
            if (!allowPrivate) {
                for (InetAddress a : all) {
                    if (!isPublic(a)) {
                        throw new UnknownHostException(host + " resolves to " + a.getHostAddress()
                                + ", a private or local address (not allowed here)");
                    }
                }
            }
            return all;
        }

        @Override
        public String resolveCanonicalHostname(String host) throws UnknownHostException {
            return SystemDefaultDnsResolver.INSTANCE.resolveCanonicalHostname(host);
        }
    }

    /**
     * True for an address on the public internet: not loopback, private (10/8, 172.16/12,
     * 192.168/16, fc00::/7), link-local, shared (100.64/10), multicast, unspecified, reserved,
     * benchmarking or documentation space; an IPv4-mapped IPv6 address is judged by its IPv4
     * address.
     */
    public static boolean isPublic(InetAddress a) {
        if (a.isAnyLocalAddress()
                || a.isLoopbackAddress()
                || a.isLinkLocalAddress()
                || a.isSiteLocalAddress()
                || a.isMulticastAddress()) {
            return false;
        }
        byte[] b = a.getAddress();
        if (a instanceof Inet4Address) {
            int b0 = b[0] & 0xff;
            int b1 = b[1] & 0xff;
            return !(b0 == 0
                    || b0 >= 240 // this network; reserved and broadcast
                    || (b0 == 100 && b1 >= 64 && b1 < 128) // shared address space (CGNAT)
                    || (b0 == 192 && b1 == 0 && (b[2] & 0xff) == 0) // IETF protocol assignments
                    || (b0 == 192 && b1 == 0 && (b[2] & 0xff) == 2) // documentation TEST-NET-1
                    || (b0 == 198 && b1 == 51 && (b[2] & 0xff) == 100) // documentation TEST-NET-2
                    || (b0 == 203 && b1 == 0 && (b[2] & 0xff) == 113) // documentation TEST-NET-3
                    || (b0 == 198 && (b1 == 18 || b1 == 19))); // benchmarking
        }
        if (a instanceof Inet6Address) {
            int b0 = b[0] & 0xff;
            if ((b0 & 0xfe) == 0xfc) {
                return false; // unique local fc00::/7
            }
            boolean mapped = true;
            for (int i = 0; i < 10; i++) {
                mapped &= b[i] == 0;
            }
            if (mapped && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
                try {
                    return isPublic(
                            InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]}));
                } catch (UnknownHostException e) {
                    return false;
                }
            }
            if (b0 == 0x20 && (b[1] & 0xff) == 0x01 && b[2] == 0x0d && (b[3] & 0xff) == 0xb8) {
                return false; // documentation 2001:db8::/32
            }
        }
        return true;
    }
}
