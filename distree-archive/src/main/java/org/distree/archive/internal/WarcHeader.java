package org.distree.archive.internal;

import org.jspecify.annotations.Nullable;

/**
 * What {@link WarcRecordReader} keeps of one WARC or ARC record: where it starts, the fields of its
 * header that a capture index needs (values stripped of blanks, the first of a repeated field),
 * and the HTTP status line and Content-Type of a response or revisit that holds an HTTP header.
 *
 * @param offset where the record starts in the file: its {@code WARC/} line (or ARC header line)
 *     in an uncompressed file, the gzip member that holds that line in a gzipped one
 * @param type {@code WARC-Type}
 * @param targetUri {@code WARC-Target-URI}, as written (wget's {@code <…>} kept)
 * @param date {@code WARC-Date}, as written
 * @param contentType the record's {@code Content-Type}
 * @param payloadDigest {@code WARC-Payload-Digest}, algorithm included
 * @param contentLength {@code Content-Length}: the bytes of the record's block
 * @param http the HTTP header of a {@code response} or {@code revisit} record whose Content-Type
 *     starts with {@code application/http}; null for other records
 * @param end where the record ends in an uncompressed ARC file (its header line and block; the
 *     newline after it is not the record's); -1 in a WARC or gzipped file, whose records are
 *     measured to the next one's start
 *
 * <p>An ARC record is given in WARC's terms: the {@code filedesc://} block as a {@code warcinfo};
 * a record holding an HTTP header (an http or https URL and a block) as a {@code response}, any
 * other as a {@code resource} (its content type being the capture's); the date (14 digits) as
 * {@code YYYY-MM-DDThh:mm:ssZ}; the ARC header's content type as the Content-Type; the SHA-1 of
 * the payload (the block after the HTTP header, or the whole block) as the payload digest, {@code
 * sha1:} and base 32, since ARC records carry none.
 */
public record WarcHeader(
        long offset,
        String type,
        @Nullable String targetUri,
        @Nullable String date,
        @Nullable String contentType,
        @Nullable String payloadDigest,
        long contentLength,
        @Nullable Http http,
        long end) {

    /**
     * The HTTP header of a response or revisit record, as far as an index needs it.
     *
     * @param status the status code of the status line (three digits)
     * @param contentType the first {@code Content-Type} field, stripped; null when there is none
     */
    public record Http(int status, @Nullable String contentType) {}
}
