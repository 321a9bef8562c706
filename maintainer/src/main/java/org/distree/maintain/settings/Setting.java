package org.distree.maintain.settings;

import org.jspecify.annotations.Nullable;

/**
 * One key of a group of settings, implemented by an enum that lists them all: its name (the key
 * in a properties file), its default as text, what it does, and the {@link Type} of its value.
 */
public interface Setting {
    /** The key's name, such as {@code copy-budget}. */
    String key();

    /** The default as it would be written in the file, or null when the key is required. */
    @Nullable
    String defaultValue();

    /** What the setting does, for help texts and docs. */
    String description();

    /** How the value is read and checked. */
    Type<?> type();
}
