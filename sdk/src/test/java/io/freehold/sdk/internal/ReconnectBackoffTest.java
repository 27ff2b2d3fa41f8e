package io.freehold.sdk.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The reconnection backoff: full jitter under an exponential ceiling of 100 ms doubling to 5 s. */
class ReconnectBackoffTest {

    @Test
    void theWaitIsARandomShareOfAnExponentialCeiling() {
        assertThat(ResumingStream.backoffMillis(1, 0.0)).isZero();
        assertThat(ResumingStream.backoffMillis(1, 0.5)).isEqualTo(50);
        assertThat(ResumingStream.backoffMillis(1, 0.999)).isLessThan(100);
        assertThat(ResumingStream.backoffMillis(3, 0.5)).isEqualTo(200);
        assertThat(ResumingStream.backoffMillis(7, 0.999)).isLessThan(5_000).isGreaterThan(4_900);
        assertThat(ResumingStream.backoffMillis(1_000, 0.999)).isLessThan(5_000);
    }
}
