package org.distree.server.write;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The bearer token that guards {@code POST /entries}: given in the settings, or generated on first
 * start (256 random bits, base64url) into a file only its owner may read (mode 0600).
 */
public final class Token {
    /** The shortest token accepted from the settings: 16 characters. */
    public static final int MIN_LENGTH = 16;

    private static final Set<PosixFilePermission> OWNER_ONLY =
            PosixFilePermissions.fromString("rw-------");

    private final byte[] secret;

    private Token(String token) {
        this.secret = token.getBytes(StandardCharsets.UTF_8);
    }

    /** A token given in the settings. */
    public static Token of(String token) {
        if (token.length() < MIN_LENGTH || !token.matches("[\\x21-\\x7e]+")) {
            throw new IllegalArgumentException("the token must be at least " + MIN_LENGTH
                    + " printable ASCII characters without spaces");
        }
        return new Token(token);
    }

    /**
     * The token in {@code file}, generating it first if the file does not exist.
     *
     * @throws IOException when the file cannot be read or made
     */
    public static Token loadOrCreate(Path file) throws IOException {
        if (!Files.exists(file)) {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            byte[] raw = new byte[32];
            new SecureRandom().nextBytes(raw);
            String token = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
            try {
                // Created with 0600 from the start, so it is never readable by others.
                Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
                Files.writeString(file, token + "\n", StandardCharsets.UTF_8);
            } catch (FileAlreadyExistsException e) {
                // Another start made it first: use theirs.
            } catch (UnsupportedOperationException e) {
                throw new IOException("cannot make " + file + " readable by its owner only on"
                        + " this file system; set the token in the settings instead");
            }
        }
        String token = Files.readString(file, StandardCharsets.UTF_8).strip();
        if (token.isEmpty()) {
            throw new IOException("the token file " + file + " is empty");
        }
        return of(token);
    }

    /** True when {@code header} is {@code Bearer <this token>}; compares in constant time. */
    public boolean matches(@Nullable String header) {
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        byte[] given = header.substring(7).strip().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(secret, given);
    }
}
