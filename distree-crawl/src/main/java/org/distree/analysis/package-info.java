/**
 * How keys are made from words: {@link org.distree.analysis.KeyAnalyzer}, shared by search (to
 * normalize query words as a root declares) and by indexing (to make keys from text).
 */
@NullMarked
package org.distree.analysis;

import org.jspecify.annotations.NullMarked;
