package io.freehold.node.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;

/**
 * One configured bearer token: its name (what logs and metrics show, never the secret), its role
 * and its secret. {@link #matches} compares in constant time.
 */
record ApiToken(String name, Role role, byte[] secret) {

    enum Role {
        READ,
        ADMIN;

        boolean allows(Role needed) {
            return this == ADMIN || needed == READ;
        }
    }

    /** {@code <role>:<secret>}, e.g. {@code read:3f9c…}; the secret at least 16 characters. */
    static ApiToken parse(String name, String value) {
        int colon = value == null ? -1 : value.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException(
                    "freehold.node.api.tokens."
                            + name
                            + " must be <role>:<secret>"
                            + " with role read or admin");
        }
        Role role;
        try {
            role = Role.valueOf(value.substring(0, colon).strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "freehold.node.api.tokens."
                            + name
                            + " has role '"
                            + value.substring(0, colon)
                            + "'; use read or admin");
        }
        String secret = value.substring(colon + 1).strip();
        if (secret.length() < 16) {
            throw new IllegalArgumentException(
                    "freehold.node.api.tokens."
                            + name
                            + " has a secret shorter than 16 characters; use e.g. `openssl rand -hex 24`");
        }
        return new ApiToken(name, role, secret.getBytes(StandardCharsets.UTF_8));
    }

    boolean matches(String presented) {
        return MessageDigest.isEqual(secret, presented.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "ApiToken[" + name + ", " + role + "]";
    }
}
