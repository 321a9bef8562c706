@NullMarked
package org.distree.server;

import org.jspecify.annotations.NullMarked;
