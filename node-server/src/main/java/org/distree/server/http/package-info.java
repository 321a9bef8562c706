@NullMarked
package org.distree.server.http;

import org.jspecify.annotations.NullMarked;
