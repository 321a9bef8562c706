/**
 * A capture index for web archives as a distree: {@link org.distree.archive.WarcIndexer} reads
 * WARC files into {@link org.distree.archive.Capture}s, {@link org.distree.archive.CdxjReader}
 * reads a CDXJ index, {@link org.distree.archive.CaptureKey} makes their keys (SURT and
 * timestamp, with a rule for long SURTs), {@link org.distree.archive.CdxjExport} writes entries
 * back as CDXJ, and {@link org.distree.archive.CaptureQuery} turns a CDX server query into the
 * key query a search runs and selects, orders and limits what it finds. docs/ARCHIVE.md is the
 * map.
 */
@NullMarked
package org.distree.archive;

import org.jspecify.annotations.NullMarked;
