@NullMarked
package org.distree.server.search;

import org.jspecify.annotations.NullMarked;
