package org.distree.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.distree.archive.internal.RequestRecord;
import org.junit.jupiter.api.Test;

/**
 * The flattening of request bodies. Each expected value is what warcio 2.4.11's {@code
 * postToGetUrl} gave for the same body under node 20 (the URL, then the requestBody).
 */
class RequestQueryTest {
    private static RequestQuery.Result post(String contentType, String body) throws Exception {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        byte[] block = ("POST /a HTTP/1.1\r\nContent-Type: " + contentType + "\r\n\r\n" + body)
                .getBytes(StandardCharsets.UTF_8);
        RequestRecord r = RequestRecord.parse(block, block.length);
        assertThat(r.body()).isEqualTo(b);
        return RequestQuery.of("http://x/a", r);
    }

    private static void check(String contentType, String body, String url, String requestBody)
            throws Exception {
        RequestQuery.Result r = post(contentType, body);
        assertThat(r.url()).isEqualTo(url);
        assertThat(r.requestBody()).isEqualTo(requestBody.isEmpty() ? null : requestBody);
        assertThat(r.method()).isEqualTo("POST");
    }

    @Test
    void jsonKeysInJavaScriptOrderWithDuplicatesNumberedAndPrototypeNamesNaN() throws Exception {
        check(
                "application/json",
                "{\"toString\":1,\"toString\":2,\"a\":[3,4,5],\"__proto__\":7,\"x\":{\"__proto__\":8}}",
                "http://x/a?__wb_method=POST&toString=2&a=3&a.2_=4&a.3_=5&__proto__=7&__proto__.NaN_=8",
                "toString=2&a=3&a.2_=4&a.3_=5&__proto__=7&__proto__.NaN_=8");
        check(
                "application/json",
                "{\"toString\":[1,2,3],\"constructor\":[1,2]}",
                "http://x/a?__wb_method=POST&toString=1&toString.NaN_=3&constructor=1&constructor.NaN_=2",
                "toString=1&toString.NaN_=3&constructor=1&constructor.NaN_=2");
        check(
                "application/json",
                "{\"b\":1,\"4294967295\":2,\"4294967294\":3,\"01\":4,\"1\":5}",
                "http://x/a?__wb_method=POST&1=5&4294967294=3&b=1&4294967295=2&01=4",
                "1=5&4294967294=3&b=1&4294967295=2&01=4");
    }

    @Test
    void jsonNumbersAsJavaScriptPrintsThem() throws Exception {
        String q = "=0.1&.2_=1e-7&.3_=1.2345678901234569e%2B23&.4_=Infinity&.5_=0&.6_=5e-324"
                + "&.7_=1.7976931348623157e%2B308&.8_=100&.9_=1e%2B21&.10_=1.23e-18";
        check(
                "application/json",
                "[0.1, 1e-7, 123456789012345678901234, 1e400, -0, 5e-324, 1.7976931348623157e308,"
                        + " 100, 1e21, 123e-20]",
                "http://x/a?__wb_method=POST&" + q,
                q);
    }

    @Test
    void loneSurrogatesAndAByteOrderMark() throws Exception {
        check(
                "application/json",
                "\"\\ud800x\"",
                "http://x/a?__wb_method=POST&=\uFFFDx",
                "=%EF%BF%BDx");
        check(
                "application/json",
                "{\"\\ud800\":1,\"\\udfff\":2}",
                "http://x/a?__wb_method=POST&\uFFFD=1&\uFFFD.2_=2",
                "%EF%BF%BD=1&%EF%BF%BD.2_=2");
        check("application/json", "\uFEFF{\"a\":1}", "http://x/a?__wb_method=POST&a=1", "a=1");
    }

    @Test
    void formBodiesAreDecodedButReservedEscapesKept() throws Exception {
        check(
                "application/x-www-form-urlencoded",
                "a=%41%2F%3f%e2%82%ac&b=\u00e9",
                "http://x/a?__wb_method=POST&a=A%2F%3f\u20ac&b=\u00e9",
                "a=%41%2F%3f%e2%82%ac&b=\u00e9");
    }

    @Test
    void multipartPartsByCaseBlindBoundaryTrimmedAndUndefinedWithoutOne() throws Exception {
        check(
                "multipart/form-data; boundary=----WebKitFormBoundaryAB",
                "------WebKitFormBoundaryAB\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\nv1  "
                        + "\r\n------WebKitFormBoundaryab--\r\nname=\"y\"\r\n\r\n\r\n--",
                "http://x/a?__wb_method=POST&x=v1&y=",
                "x=v1&y=");
        check(
                "multipart/form-data",
                "xundefinedname=\"q\"\r\n\r\nw",
                "http://x/a?__wb_method=POST&q=w",
                "q=w");
        assertThatThrownBy(() -> post("multipart/form-data; boundary=a+b", "a+b"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'+'");
    }

    @Test
    void textThatIsNotJsonFlattensToNothing() throws Exception {
        check("text/plain", "{\"a\":1", "http://x/a?__wb_method=POST&", "");
    }

    @Test
    void otherBodiesInBase64AndAGetChangesNothing() throws Exception {
        check(
                "application/octet-stream",
                "\u0001\u0002binary",
                "http://x/a?__wb_method=POST&__wb_post_data=AQJiaW5hcnk=",
                "__wb_post_data=AQJiaW5hcnk=");
        byte[] get = "GET /a HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        assertThat(RequestQuery.of("http://x/a", RequestRecord.parse(get, get.length)))
                .isNull();
    }

    @Test
    void jsonNestedPastTheLimitIsRefused() {
        String deep =
                "[".repeat(RequestQuery.MAX_DEPTH + 1) + "]".repeat(RequestQuery.MAX_DEPTH + 1);
        assertThatThrownBy(() -> post("application/json", deep))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("nested deeper than 1000");
    }

    @Test
    void anExistingQueryGetsAnAmpersandAndAnEmptyMethodAddsNothing() throws Exception {
        byte[] block =
                "PUT /a?b=1 HTTP/1.1\r\nHost: x\r\n\r\nz=1".getBytes(StandardCharsets.US_ASCII);
        RequestQuery.Result r =
                RequestQuery.of("http://x/a?b=1", RequestRecord.parse(block, block.length));
        assertThat(r.url()).isEqualTo("http://x/a?b=1&__wb_method=PUT&__wb_post_data=ej0x");
        byte[] empty = " /a HTTP/1.1\r\nContent-Type: text/plain\r\n\r\n[1]"
                .getBytes(StandardCharsets.US_ASCII);
        RequestQuery.Result e =
                RequestQuery.of("http://x/a", RequestRecord.parse(empty, empty.length));
        assertThat(e.url()).isEqualTo("http://x/a");
        assertThat(e.method()).isNull();
        assertThat(e.requestBody()).isEqualTo("=1");
    }
}
