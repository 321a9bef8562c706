/**
 * Settings files and flags read once into typed values: {@link
 * org.distree.maintain.settings.Settings} checks every key of a {@link
 * org.distree.maintain.settings.Setting} enum against its {@link
 * org.distree.maintain.settings.Type}, for the daemon's and the maintainer's settings alike.
 */
@NullMarked
package org.distree.maintain.settings;

import org.jspecify.annotations.NullMarked;
