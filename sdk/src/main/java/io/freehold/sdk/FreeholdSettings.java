package io.freehold.sdk;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How a {@link FreeholdClient} reaches a node: where, how securely, as whom, and how patiently.
 * Immutable; build with {@link #builder()}.
 *
 * <pre>{@code
 * FreeholdSettings settings = FreeholdSettings.builder()
 *         .target("node.example.com:443")
 *         .bearerToken(System.getenv("FREEHOLD_TOKEN"))
 *         .deadline(Duration.ofSeconds(5))
 *         .retryAttempts(4)
 *         .build();
 * try (FreeholdClient client = FreeholdClient.create(settings)) { ... }
 * }</pre>
 */
public final class FreeholdSettings {

    /** Default {@link Builder#deadline(Duration)}: 10 seconds per call, retries included. */
    public static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(10);

    /** Default {@link Builder#retryAttempts(int)}: the first try and two retries. */
    public static final int DEFAULT_RETRY_ATTEMPTS = 3;

    /** Default {@link Builder#retryInitialBackoff(Duration)}. */
    public static final Duration DEFAULT_RETRY_INITIAL_BACKOFF = Duration.ofMillis(200);

    /** Default {@link Builder#retryMaxBackoff(Duration)}. */
    public static final Duration DEFAULT_RETRY_MAX_BACKOFF = Duration.ofSeconds(5);

    /** The most attempts a call may make, first try included. */
    public static final int MAX_RETRY_ATTEMPTS = 10;

    private final String target;
    private final boolean tls;
    private final Path trustedCaPem;
    private final String bearerToken;
    private final Duration deadline;
    private final int retryAttempts;
    private final Duration retryInitialBackoff;
    private final Duration retryMaxBackoff;

    private FreeholdSettings(Builder b) {
        this.target = b.target;
        this.tls = b.tls;
        this.trustedCaPem = b.trustedCaPem;
        this.bearerToken = b.bearerToken;
        this.deadline = b.deadline;
        this.retryAttempts = b.retryAttempts;
        this.retryInitialBackoff = b.retryInitialBackoff;
        this.retryMaxBackoff = b.retryMaxBackoff;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding these settings, to derive others from. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.target = target;
        b.tls = tls;
        b.trustedCaPem = trustedCaPem;
        b.bearerToken = bearerToken;
        b.deadline = deadline;
        b.retryAttempts = retryAttempts;
        b.retryInitialBackoff = retryInitialBackoff;
        b.retryMaxBackoff = retryMaxBackoff;
        return b;
    }

    /** {@code host:port}, or any target gRPC resolves (e.g. {@code dns:///host:port}). */
    public String target() {
        return target;
    }

    public boolean tls() {
        return tls;
    }

    /** The CA certificates (PEM) to trust instead of the JVM's, for a node with a private CA. */
    public Optional<Path> trustedCaPem() {
        return Optional.ofNullable(trustedCaPem);
    }

    public Optional<String> bearerToken() {
        return Optional.ofNullable(bearerToken);
    }

    public Duration deadline() {
        return deadline;
    }

    public int retryAttempts() {
        return retryAttempts;
    }

    public Duration retryInitialBackoff() {
        return retryInitialBackoff;
    }

    public Duration retryMaxBackoff() {
        return retryMaxBackoff;
    }

    /** The settings, with the bearer token masked. */
    @Override
    public String toString() {
        return "FreeholdSettings{target="
                + target
                + ", tls="
                + tls
                + ", trustedCaPem="
                + trustedCaPem
                + ", bearerToken="
                + (bearerToken == null ? "none" : "***")
                + ", deadline="
                + deadline
                + ", retryAttempts="
                + retryAttempts
                + ", retryInitialBackoff="
                + retryInitialBackoff
                + ", retryMaxBackoff="
                + retryMaxBackoff
                + "}";
    }

    /** Builds {@link FreeholdSettings}; only {@link #target(String)} is required. */
    public static final class Builder {
        private String target;
        private boolean tls = true;
        private Path trustedCaPem;
        private String bearerToken;
        private Duration deadline = DEFAULT_DEADLINE;
        private int retryAttempts = DEFAULT_RETRY_ATTEMPTS;
        private Duration retryInitialBackoff = DEFAULT_RETRY_INITIAL_BACKOFF;
        private Duration retryMaxBackoff = DEFAULT_RETRY_MAX_BACKOFF;

        private Builder() {}

        /** The node's gRPC address, {@code host:port}. Required. */
        public Builder target(String target) {
            Objects.requireNonNull(target, "target");
            if (target.isBlank()) {
                throw new IllegalArgumentException("target must not be blank");
            }
            this.target = target;
            return this;
        }

        /**
         * Whether to use TLS; default {@code true}. Turn it off only for a node on localhost or a
         * private network: the bearer token then travels in clear text.
         */
        public Builder tls(boolean tls) {
            this.tls = tls;
            return this;
        }

        /** Trust the CA certificates in this PEM file instead of the JVM's; requires TLS. */
        public Builder trustedCaPem(Path trustedCaPem) {
            this.trustedCaPem = Objects.requireNonNull(trustedCaPem, "trustedCaPem");
            return this;
        }

        /** Sent on every call as {@code authorization: Bearer <token>}; none by default. */
        public Builder bearerToken(String bearerToken) {
            Objects.requireNonNull(bearerToken, "bearerToken");
            if (bearerToken.isBlank() || bearerToken.chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
                throw new IllegalArgumentException(
                        "bearer token must be non-empty printable ASCII without spaces");
            }
            this.bearerToken = bearerToken;
            return this;
        }

        /**
         * How long a call may take, retries included; each page of a listing gets its own. Default
         * {@link FreeholdSettings#DEFAULT_DEADLINE}.
         */
        public Builder deadline(Duration deadline) {
            Objects.requireNonNull(deadline, "deadline");
            if (deadline.isNegative() || deadline.isZero()) {
                throw new IllegalArgumentException("deadline must be positive: " + deadline);
            }
            this.deadline = deadline;
            return this;
        }

        /**
         * How many times a unary call is tried when the node is {@code UNAVAILABLE}, the first try
         * included: 1 turns retries off. Other failures are never retried, and streams never are (a
         * watch resumes from its cursor instead). Default {@link
         * FreeholdSettings#DEFAULT_RETRY_ATTEMPTS}.
         */
        public Builder retryAttempts(int retryAttempts) {
            if (retryAttempts < 1 || retryAttempts > MAX_RETRY_ATTEMPTS) {
                throw new IllegalArgumentException(
                        "retry attempts must be within 1.."
                                + MAX_RETRY_ATTEMPTS
                                + ": "
                                + retryAttempts);
            }
            this.retryAttempts = retryAttempts;
            return this;
        }

        /**
         * The longest wait before the first retry; each later one may wait up to twice as long, up
         * to {@link #retryMaxBackoff(Duration)}. The actual wait is random below that (full
         * jitter), so that many clients do not retry in step.
         */
        public Builder retryInitialBackoff(Duration retryInitialBackoff) {
            this.retryInitialBackoff = positive(retryInitialBackoff, "retryInitialBackoff");
            return this;
        }

        /** The cap on the wait between retries. */
        public Builder retryMaxBackoff(Duration retryMaxBackoff) {
            this.retryMaxBackoff = positive(retryMaxBackoff, "retryMaxBackoff");
            return this;
        }

        /**
         * @throws IllegalStateException if the target is missing or a CA is set without TLS
         */
        public FreeholdSettings build() {
            if (target == null) {
                throw new IllegalStateException("target is required, e.g. node.example.com:443");
            }
            if (trustedCaPem != null && !tls) {
                throw new IllegalStateException("trustedCaPem needs tls(true)");
            }
            if (retryMaxBackoff.compareTo(retryInitialBackoff) < 0) {
                throw new IllegalStateException(
                        "retryMaxBackoff "
                                + retryMaxBackoff
                                + " is below retryInitialBackoff "
                                + retryInitialBackoff);
            }
            return new FreeholdSettings(this);
        }

        private static Duration positive(Duration d, String name) {
            Objects.requireNonNull(d, name);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be positive: " + d);
            }
            return d;
        }
    }
}
