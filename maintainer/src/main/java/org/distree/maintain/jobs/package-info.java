/** The maintenance jobs and their Quartz wiring. */
@NullMarked
package org.distree.maintain.jobs;

import org.jspecify.annotations.NullMarked;
