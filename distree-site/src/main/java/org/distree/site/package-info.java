/**
 * Indexing a folder of HTML pages into a distree: {@link org.distree.site.PageReader} turns one
 * untrusted file into a {@link org.distree.site.Page}, {@link org.distree.site.SiteIndexer}
 * builds or updates the tree (an update is a {@link org.distree.site.SiteUpdate}), and {@link
 * org.distree.site.SearchAssets} writes the in-browser search page next to it.
 */
@NullMarked
package org.distree.site;

import org.jspecify.annotations.NullMarked;
