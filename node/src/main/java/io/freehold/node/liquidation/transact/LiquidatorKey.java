package io.freehold.node.liquidation.transact;

import io.freehold.node.liquidation.LiquidatorConfiguration;
import io.freehold.types.Address;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.WalletUtils;
import org.web3j.crypto.exception.CipherException;

/**
 * The liquidator's signing key, loaded once at start from an encrypted keystore or an environment
 * variable ({@link LiquidatorConfiguration}). Only {@link TransactionSigner} sees the credentials;
 * {@link #toString()} shows the address and where the key came from, never the key, and no error
 * message quotes what a variable or file held.
 */
public final class LiquidatorKey {

    private static final Pattern PRIVATE_KEY = Pattern.compile("(0x)?[0-9a-fA-F]{64}");

    private final Credentials credentials;
    private final Address address;
    private final String source;

    private LiquidatorKey(Credentials credentials, String source) {
        this.credentials = credentials;
        this.address = Address.of(credentials.getAddress());
        this.source = source;
    }

    /** The key from the process environment and files. */
    public static LiquidatorKey load(LiquidatorConfiguration config) {
        return load(config, System::getenv);
    }

    /**
     * The key as configured, reading variables through {@code environment}.
     *
     * @throws IllegalArgumentException naming the setting to fix when no key is configured, the
     *     keystore is missing or its password is wrong or missing, or the variable holds no private
     *     key
     */
    public static LiquidatorKey load(
            LiquidatorConfiguration config, Function<String, String> environment) {
        return find(config, environment)
                .orElseThrow(
                        () ->
                                LiquidatorConfiguration.invalid(
                                        "mode",
                                        "is "
                                                + config.mode()
                                                + " but no liquidator key is configured: set keystore (its password in"
                                                + " keystore-password-file or $"
                                                + config.keystorePasswordEnv()
                                                + "), or put the key in $"
                                                + config.privateKeyEnv()));
    }

    /**
     * The key if one is configured (watch mode uses its address when there is one), empty if none
     * is.
     */
    public static Optional<LiquidatorKey> find(
            LiquidatorConfiguration config, Function<String, String> environment) {
        if (config.keystore() != null) {
            return Optional.of(fromKeystore(config, environment));
        }
        String hex = environment.apply(config.privateKeyEnv());
        if (hex == null || hex.isBlank()) {
            return Optional.empty();
        }
        if (!PRIVATE_KEY.matcher(hex.strip()).matches()) {
            throw LiquidatorConfiguration.invalid(
                    "private-key-env",
                    "names $"
                            + config.privateKeyEnv()
                            + ", which does not hold a private key (64 hex digits, 0x optional)");
        }
        return Optional.of(
                new LiquidatorKey(
                        Credentials.create(hex.strip()),
                        "environment variable " + config.privateKeyEnv()));
    }

    /** A key from credentials already at hand: tests and tools. */
    public static LiquidatorKey of(Credentials credentials) {
        return new LiquidatorKey(credentials, "credentials given in code");
    }

    public Address address() {
        return address;
    }

    /** Package-private: signing is the only use. */
    Credentials credentials() {
        return credentials;
    }

    @Override
    public String toString() {
        return "LiquidatorKey[" + address + " from " + source + "]";
    }

    private static LiquidatorKey fromKeystore(
            LiquidatorConfiguration config, Function<String, String> environment) {
        Path file = Path.of(config.keystore());
        if (!Files.isRegularFile(file)) {
            throw LiquidatorConfiguration.invalid(
                    "keystore", "names " + file.toAbsolutePath() + ", which does not exist");
        }
        String password;
        String passwordSource;
        if (config.keystorePasswordFile() != null) {
            Path passwordFile = Path.of(config.keystorePasswordFile());
            try {
                password = Files.readString(passwordFile, StandardCharsets.UTF_8).stripTrailing();
            } catch (IOException e) {
                throw LiquidatorConfiguration.invalid(
                        "keystore-password-file",
                        "names "
                                + passwordFile.toAbsolutePath()
                                + ", which cannot be read: "
                                + e.getClass().getSimpleName());
            }
            passwordSource = "keystore-password-file " + passwordFile;
        } else {
            password = environment.apply(config.keystorePasswordEnv());
            if (password == null) {
                throw LiquidatorConfiguration.invalid(
                        "keystore",
                        "is set but its password is not: set"
                                + " keystore-password-file, or the environment variable $"
                                + config.keystorePasswordEnv());
            }
            passwordSource = "$" + config.keystorePasswordEnv();
        }
        try {
            return new LiquidatorKey(
                    WalletUtils.loadCredentials(password, file.toFile()), "keystore " + file);
        } catch (CipherException e) {
            throw LiquidatorConfiguration.invalid(
                    "keystore",
                    "cannot be decrypted with the password from "
                            + passwordSource
                            + " ("
                            + e.getMessage()
                            + ")");
        } catch (IOException | RuntimeException e) {
            throw LiquidatorConfiguration.invalid(
                    "keystore",
                    "names "
                            + file.toAbsolutePath()
                            + ", which is not a readable keystore: "
                            + e.getClass().getSimpleName());
        }
    }
}
