@NullMarked
package org.distree.server.submit;

import org.jspecify.annotations.NullMarked;
