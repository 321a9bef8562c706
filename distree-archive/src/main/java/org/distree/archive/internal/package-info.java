/**
 * Detail of the archive module: {@link org.distree.archive.internal.WarcRecordReader}, the WARC
 * and ARC record reader of {@code index-warc}, with its parts: {@link
 * org.distree.archive.internal.RecordInput} (one buffer, read or inflated from gzip members by
 * {@link org.distree.archive.internal.GzipMembers} with {@link java.util.zip.Inflater}; WARC
 * blocks skipped by their length), {@link org.distree.archive.internal.HeaderParser} (headers
 * split by hand) and {@link org.distree.archive.internal.ArcRecordReader} (ARC payloads hashed);
 * {@link org.distree.archive.internal.RequestRecord}, a request record's method,
 * Content-Type and body as warcio reads them; {@link org.distree.archive.internal.JsStrings}, the
 * JavaScript string operations warcio's keys of POST requests go through. Depends on the JDK and
 * distree-model's {@code Base32} only.
 */
@NullMarked
package org.distree.archive.internal;

import org.jspecify.annotations.NullMarked;
