/**
 * Detail of the archive module: {@link org.distree.archive.internal.WarcRecordReader}, the WARC
 * and ARC record reader of {@code index-warc} (gzip members inflated with {@link
 * java.util.zip.Inflater}, headers split by hand, WARC blocks skipped by their length, ARC
 * payloads hashed); {@link org.distree.archive.internal.RequestRecord}, a request record's method,
 * Content-Type and body as warcio reads them; {@link org.distree.archive.internal.JsStrings}, the
 * JavaScript string operations warcio's keys of POST requests go through. Depends on the JDK and
 * distree-model's {@code Base32} only.
 */
@NullMarked
package org.distree.archive.internal;

import org.jspecify.annotations.NullMarked;
