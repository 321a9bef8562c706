package org.distree.maintain.settings;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.distree.model.Keys;
import org.jspecify.annotations.Nullable;

/**
 * A group of settings read and checked once: every key of the enum {@code K}, from the values
 * given (a properties file, flags) over the defaults, each read with its {@link Type}. The daemon's
 * {@code ServerConfig} and the {@code MaintainerConfig} are built from one of these, so their
 * getters only return values.
 *
 * <p>A key that {@code K} does not list, a required key without a value and a value its type
 * refuses all fail {@link #parse} with an {@link IllegalArgumentException} that names the key,
 * the value and the limit: {@code maintainer setting 'copy-budget' = 'abc' is not a whole
 * number}.
 *
 * @param <K> the enum that lists the keys
 */
public final class Settings<K extends Enum<K> & Setting> {
    private final Map<K, String> texts;
    private final Map<K, Object> values;

    private Settings(Map<K, String> texts, Map<K, Object> values) {
        this.texts = texts;
        this.values = values;
    }

    /**
     * Reads every key of {@code keys}: its value in {@code given} (stripped of blanks) or else its
     * default.
     *
     * @param noun what the settings are called in messages, such as {@code maintainer setting}
     * @param doc where the keys are listed, named when a key is unknown
     * @throws IllegalArgumentException naming the key when one is unknown, missing or invalid
     */
    public static <K extends Enum<K> & Setting> Settings<K> parse(
            Class<K> keys, String noun, String doc, Map<String, String> given) {
        Map<K, String> texts = new EnumMap<>(keys);
        for (Map.Entry<String, String> e : given.entrySet()) {
            K k = named(keys, e.getKey());
            if (k == null) {
                throw new IllegalArgumentException("unknown " + noun + " '"
                        + Keys.abbreviate(e.getKey(), 60) + "' (see " + doc + " for the keys)");
            }
            texts.put(k, e.getValue().strip());
        }
        Map<K, Object> values = new EnumMap<>(keys);
        for (K k : EnumSet.allOf(keys)) {
            String text = texts.get(k);
            if (text == null) {
                text = k.defaultValue();
                if (text == null) {
                    throw new IllegalArgumentException(
                            noun + " '" + k.key() + "' is required (--" + k.key() + ")");
                }
                texts.put(k, text);
            }
            Type<?> type = k.type();
            if (type.isNone(text)) {
                continue;
            }
            try {
                values.put(k, type.read(text));
            } catch (Type.Invalid e) {
                // The value quoted cut and escaped, and the type's reason, which may quote part
                // of it, escaped too: the message is one line (found by fuzzing: a list of URLs
                // holding a line break).
                throw new IllegalArgumentException(noun + " '" + k.key() + "' = '"
                        + Keys.abbreviate(text, 200) + "' "
                        + Keys.abbreviate(String.valueOf(e.getMessage()), 400));
            }
        }
        return new Settings<>(texts, values);
    }

    /**
     * Reads a properties file (UTF-8) into key names and values, as given to {@link #parse}.
     *
     * @throws IOException when it cannot be read
     */
    public static Map<String, String> readFile(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString());
        }
    }

    /**
     * Reads properties (UTF-8) into key names and values, as given to {@link #parse}.
     *
     * @param name the file's name, for messages
     * @throws IOException naming the file when the bytes are not UTF-8, a {@code \\uXXXX} escape
     *     is malformed, or they cannot be read (SettingsFuzzTest)
     */
    public static Map<String, String> read(InputStream in, String name) throws IOException {
        Properties p = new Properties();
        Reader r = new InputStreamReader(
                in,
                StandardCharsets.UTF_8
                        .newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT));
        try {
            p.load(r);
        } catch (CharacterCodingException e) {
            // Not the decoder's own message, "Input length = 1", which names nothing.
            throw new IOException(name + ": the bytes are not UTF-8", e);
        } catch (IllegalArgumentException e) {
            // Properties refuses a bad escape with an unchecked exception whose message
            // names neither the file nor the setting.
            throw new IOException(name + ": " + String.valueOf(e.getMessage()).strip(), e);
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (String key : p.stringPropertyNames()) {
            out.put(key, p.getProperty(key));
        }
        return out;
    }

    /** The key of that name, or null. */
    public static <K extends Enum<K> & Setting> @Nullable K named(Class<K> keys, String name) {
        for (K k : EnumSet.allOf(keys)) {
            if (k.key().equals(name)) {
                return k;
            }
        }
        return null;
    }

    /** A key's text as given (stripped) or its default. */
    public String text(K key) {
        String t = texts.get(key);
        if (t == null) {
            throw new IllegalStateException("no text for " + key.key());
        }
        return t;
    }

    /**
     * A key's value, read by its type into {@code as}.
     *
     * @throws IllegalStateException when the key has no value (its type's {@link Type#orNone}
     *     and an empty text) or its type does not make an {@code as}: a mistake in the code
     */
    public <T> T get(K key, Class<T> as) {
        T v = find(key, as);
        if (v == null) {
            throw new IllegalStateException("setting '" + key.key() + "' has no value");
        }
        return v;
    }

    /** A key's value, or null when its type is {@link Type#orNone} and the text is empty. */
    public <T> @Nullable T find(K key, Class<T> as) {
        Object v = values.get(key);
        if (v != null && !as.isInstance(v)) {
            throw new IllegalStateException("setting '" + key.key() + "' is read as "
                    + v.getClass().getSimpleName() + ", not as " + as.getSimpleName());
        }
        return as.cast(v);
    }

    /** A key's value when its type is a {@link Type#list} of {@code element}. */
    public <E> List<E> list(K key, Class<E> element) {
        List<E> out = new ArrayList<>();
        List<?> items = get(key, List.class);
        for (Object o : items) {
            out.add(element.cast(o));
        }
        return List.copyOf(out);
    }
}
