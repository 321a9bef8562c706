package org.distree.crawl.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.SystemDefaultDnsResolver;
import org.distree.crawl.Addresses;

/**
 * Resolves host names, and (unless allowed) refuses hosts that resolve to a loopback, private,
 * link-local, multicast or wildcard address, so that outside input cannot point a fetch at the
 * machine's own network. It checks every address a name resolves to, and redirects pass through
 * it too.
 */
final class AddressPolicy implements DnsResolver {
    private final boolean allowPrivate;

    AddressPolicy(boolean allowPrivate) {
        this.allowPrivate = allowPrivate;
    }

    @Override
    public InetAddress[] resolve(String host) throws UnknownHostException {
        InetAddress[] all = SystemDefaultDnsResolver.INSTANCE.resolve(host);
        if (!allowPrivate) {
            for (InetAddress a : all) {
                if (isPrivate(a)) {
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

    /** True for an address that is not on the public internet (see {@link Addresses}). */
    static boolean isPrivate(InetAddress a) {
        return !Addresses.isPublic(a);
    }
}
