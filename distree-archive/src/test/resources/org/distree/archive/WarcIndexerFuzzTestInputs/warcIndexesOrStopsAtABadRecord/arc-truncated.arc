filedesc://crawl.arc 127.0.0.1 20260102030405 text/plain 68
1 0 Distree
URL IP-address Archive-date Content-type Archive-length

http://www.example.com/page.html 127.0.0.1 20260102030406 text/html 67
HTTP/1.1 200 OK
Content-Type: text/html; charset=utf-8

<p>a</p>
http://example.com/old 127.0.0.1 20260102030407 text/html 44
HTTP/1.1 301 Moved
Location: /page.html


dns:example.com 127.0.0.1 