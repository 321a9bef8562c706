package org.distree.crawl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;

class AddressesTest {
    static boolean isPublic(String ip) throws Exception {
        return Addresses.isPublic(InetAddress.getByName(ip));
    }

    @Test
    void localAndPrivateAddressesAreNotPublic() throws Exception {
        for (String ip : new String[] {
            "127.0.0.2",
            "10.1.2.3",
            "192.168.0.1",
            "172.16.5.4",
            "169.254.169.254",
            "0.0.0.0",
            "::1",
            "fd00::1",
            "fe80::1",
            "100.64.0.1",
            "::ffff:127.0.0.1",
            "224.0.0.1",
            "192.0.2.7",
            "198.51.100.7",
            "203.0.113.7",
            "::ffff:203.0.113.7",
            "2001:db8::1",
            "198.18.0.1",
            // IPv6 forms that carry an IPv4 address they reach, or are not routed at all.
            "::127.0.0.1",
            "::a00:1",
            "64:ff9b::7f00:1",
            "64:ff9b::a9fe:a9fe",
            "64:ff9b:1::808:808",
            "2002:7f00:1::",
            "2002:c0a8:101::1",
            "2001:0:4136:e378:8000:63bf:80ff:fffe",
            "fec0::1"
        }) {
            assertThat(isPublic(ip)).as(ip).isFalse();
        }
    }

    @Test
    void publicAddressesArePublic() throws Exception {
        assertThat(isPublic("93.184.216.34")).isTrue();
        // Next to the documentation ranges, but not in them.
        assertThat(isPublic("192.0.3.1")).isTrue();
        assertThat(isPublic("198.51.101.1")).isTrue();
        assertThat(isPublic("203.0.114.1")).isTrue();
        assertThat(isPublic("2606:4700::1111")).isTrue();
        assertThat(isPublic("64:ff9b::808:808")).isTrue();
        assertThat(isPublic("2002:808:808::1")).isTrue();
        assertThat(isPublic("2001:0:4136:e378:8000:63bf:f7f7:f7f7")).isTrue();
    }

    @Test
    void theResolverRefusesLoopbackUnlessAllowed() throws Exception {
        assertThatThrownBy(() -> Addresses.resolver(false).resolve("127.0.0.3"))
                .isInstanceOf(UnknownHostException.class)
                .hasMessageContaining("127.0.0.3 resolves to 127.0.0.3, a private or local");
        assertThat(Addresses.resolver(true).resolve("127.0.0.3"))
                .containsExactly(InetAddress.getByName("127.0.0.3"));
    }
}
