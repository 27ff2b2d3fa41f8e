package io.freehold.sdk;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The root of everything the SDK throws for a failed call; unchecked. Subclasses say the kind of
 * failure ({@link InvalidArgumentException}, {@link NotFoundException}, ...); {@link #reason()}
 * says which, and {@link #field()} names the request field at fault. Failures the SDK has no
 * subclass for (an internal error of the node, a cancelled call) are thrown as this class.
 *
 * <pre>{@code
 * try {
 *     Market m = client.market(id);
 * } catch (NotFoundException e) {
 *     // e.reason() == ErrorReason.UNKNOWN_MARKET, e.field() == Optional.of("market_id")
 * } catch (UnavailableException e) {
 *     // retried already (FreeholdSettings.Builder#retryAttempts); try later
 * } catch (FreeholdException e) {
 *     log.warn("node refused: {} {}", e.reasonName(), e.getMessage());
 * }
 * }</pre>
 */
public class FreeholdException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String reasonName;
    private final String field;
    private final Map<String, String> metadata;

    /**
     * @param reasonName the ErrorInfo reason as sent, empty if there was none
     * @param metadata the ErrorInfo metadata; its {@code "field"} entry is {@link #field()}
     */
    public FreeholdException(
            String message, String reasonName, Map<String, String> metadata, Throwable cause) {
        super(message, cause);
        this.reasonName = Objects.requireNonNull(reasonName, "reasonName");
        this.metadata = Map.copyOf(metadata);
        this.field = this.metadata.get("field");
    }

    /** The reason, or {@link ErrorReason#UNKNOWN} when none was sent or it is new to this SDK. */
    public ErrorReason reason() {
        return ErrorReason.fromName(reasonName);
    }

    /** The reason exactly as the node sent it, e.g. {@code "INVALID_ADDRESS"}; empty if none. */
    public String reasonName() {
        return reasonName;
    }

    /** The request field at fault, in the API's snake_case, e.g. {@code "market_id"}. */
    public Optional<String> field() {
        return Optional.ofNullable(field);
    }

    /** Every ErrorInfo metadata entry (the dynamic values the message leaves out). */
    public Map<String, String> metadata() {
        return metadata;
    }
}
