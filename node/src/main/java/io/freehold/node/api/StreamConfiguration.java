package io.freehold.node.api;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import java.time.Duration;

/**
 * How the API's streams behave: bound from {@code freehold.node.api.streams.*}.
 *
 * @param buffer events queued for one subscriber that is not reading; when full the stream ends
 *     with RESOURCE_EXHAUSTED (SLOW_CONSUMER) and the client resumes from its last cursor. Bounds
 *     the memory a slow client can hold. Default 10,000.
 * @param journal events kept for resuming (across all streams); a cursor older than that gets a
 *     fresh snapshot instead. Default 100,000.
 * @param heartbeat a quiet stream gets a heartbeat (with the current cursor) this often. Default 5
 *     s.
 */
@ConfigurationProperties("freehold.node.api.streams")
public record StreamConfiguration(
        @Bindable(defaultValue = "10000") int buffer,
        @Bindable(defaultValue = "100000") int journal,
        @Bindable(defaultValue = "5s") Duration heartbeat) {

    public StreamConfiguration {
        if (buffer < 1 || journal < 1) {
            throw new IllegalArgumentException(
                    "freehold.node.api.streams.buffer and journal must be at least 1");
        }
        if (heartbeat == null || heartbeat.isNegative() || heartbeat.isZero()) {
            throw new IllegalArgumentException(
                    "freehold.node.api.streams.heartbeat must be a positive duration");
        }
    }
}
