@NullMarked
package org.distree.model;

import org.jspecify.annotations.NullMarked;
