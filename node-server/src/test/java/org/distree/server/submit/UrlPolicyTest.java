package org.distree.server.submit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class UrlPolicyTest {
    private final UrlPolicy strict = new UrlPolicy(false);
    private final UrlPolicy open = new UrlPolicy(true);

    @Test
    void publicHttpUrlsPass() {
        assertThat(strict.check(" https://node.example.org/n/1a.html#o1 ").toString())
                .isEqualTo("https://node.example.org/n/1a.html#o1");
        assertThat(strict.check("http://93.184.215.14/n/1.html").getHost())
                .isEqualTo("93.184.215.14");
    }

    @Test
    void otherSchemesUserInfoAndLongUrlsAreRefused() {
        assertThatThrownBy(() -> strict.check("file:///etc/passwd")).hasMessageContaining("scheme");
        assertThatThrownBy(() -> strict.check("javascript:alert(1)"))
                .hasMessageContaining("scheme");
        assertThatThrownBy(() -> strict.check("https://u:p@a.example/"))
                .hasMessageContaining("user");
        assertThatThrownBy(() -> strict.check("https://a.example/" + "x".repeat(2100)))
                .hasMessageContaining("2048 byte limit");
        assertThatThrownBy(() -> strict.check("http:///n/1.html")).hasMessageContaining("host");
        assertThatThrownBy(() -> strict.check("")).hasMessageContaining("empty");
    }

    @Test
    void privateAndOddlyWrittenAddressesAreRefusedUnlessAllowed() {
        for (String host : new String[] {
            "127.0.0.1",
            "10.1.2.3",
            "192.168.0.1",
            "169.254.169.254",
            "[::1]",
            "[fe80::1]",
            "[fd00::1]",
            "[::ffff:127.0.0.1]",
            "0.0.0.0",
            "100.64.0.1",
            "localhost",
            "foo.localhost",
            "printer.local",
            "intranet"
        }) {
            assertThatThrownBy(() -> strict.check("http://" + host + "/n/1.html"))
                    .as(host)
                    .isInstanceOf(IllegalArgumentException.class);
        }
        for (String host : new String[] {"2130706433", "0x7f000001", "0177.0.0.1", "127.1"}) {
            // inet_aton's other spellings of 127.0.0.1: refused even when private is allowed.
            assertThatThrownBy(() -> open.check("http://" + host + "/"))
                    .as(host)
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(open.check("http://127.0.0.1:8080/n/1.html").getPort()).isEqualTo(8080);
        assertThat(open.check("http://localhost/").getHost()).isEqualTo("localhost");
    }

    @Test
    void addressClassesAreRecognised() throws Exception {
        assertThat(UrlPolicy.isPublic(InetAddress.getByName("8.8.8.8"))).isTrue();
        assertThat(UrlPolicy.isPublic(InetAddress.getByName("2606:4700::1111"))).isTrue();
        assertThat(UrlPolicy.isPublic(InetAddress.getByName("172.16.5.4"))).isFalse();
        assertThat(UrlPolicy.isPublic(InetAddress.getByName("198.18.0.1"))).isFalse();
        assertThat(UrlPolicy.isPublic(InetAddress.getByName("255.255.255.255"))).isFalse();
        assertThat(UrlPolicy.isPublic(InetAddress.getByName("2001:db8::1"))).isFalse();
    }
}
