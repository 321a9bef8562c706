/**
 * Detail of the archive module: {@link org.distree.archive.internal.WarcRecordReader}, the WARC
 * record reader of {@code index-warc} (gzip members inflated with {@link java.util.zip.Inflater},
 * headers split by hand, blocks skipped by their length). Depends on the JDK only.
 */
@NullMarked
package org.distree.archive.internal;

import org.jspecify.annotations.NullMarked;
