package io.freehold.node.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LogRangeSizerTest {

    @Test
    void startsAtTheMaximum() {
        assertThat(new LogRangeSizer(1, 2_000, 5_000).size()).isEqualTo(2_000);
    }

    @Test
    void halvesTheFailedWidthDownToTheMinimum() {
        LogRangeSizer sizer = new LogRangeSizer(10, 2_000, 5_000);

        assertThat(sizer.shrink(2_000, 0)).isTrue();
        assertThat(sizer.size()).isEqualTo(1_000);
        assertThat(sizer.shrink(1_000, 0)).isTrue();
        assertThat(sizer.size()).isEqualTo(500);
        sizer.shrink(15, 0);
        assertThat(sizer.size()).as("never below the minimum").isEqualTo(10);
    }

    @Test
    void cannotSplitAtTheMinimum() {
        LogRangeSizer sizer = new LogRangeSizer(4, 64, 5_000);

        assertThat(sizer.shrink(4, 0)).isFalse();
        assertThat(sizer.shrink(3, 0)).isFalse();
        assertThat(sizer.size()).isEqualTo(64);
    }

    @Test
    void aShortTailChunkThatFailsShrinksBelowItsOwnWidth() {
        LogRangeSizer sizer = new LogRangeSizer(1, 2_000, 5_000);

        sizer.shrink(300, 0); // the last 300 blocks of a fetch were refused

        assertThat(sizer.size()).isEqualTo(150);
    }

    @Test
    void takesTheWidthTheEndpointSuggests() {
        LogRangeSizer sizer = new LogRangeSizer(1, 2_000, 5_000);

        sizer.shrink(2_000, 37);

        assertThat(sizer.size()).isEqualTo(37);
    }

    @Test
    void ignoresASuggestionThatIsNoSmaller() {
        LogRangeSizer sizer = new LogRangeSizer(1, 2_000, 5_000);

        sizer.shrink(2_000, 5_000);

        assertThat(sizer.size()).isEqualTo(1_000);
    }

    @Test
    void doublesAfterSmallFullWidthAnswersUpToTheMaximum() {
        LogRangeSizer sizer = new LogRangeSizer(1, 2_000, 5_000);
        sizer.shrink(2_000, 100);
        relax(sizer);

        int before = sizer.size();
        sizer.succeeded(before, 10);
        assertThat(sizer.size()).isEqualTo(Math.min(2_000, 2 * before));
        for (int i = 0; i < 20; i++) {
            sizer.succeeded(sizer.size(), 10);
        }
        assertThat(sizer.size()).isEqualTo(2_000);
    }

    @Test
    void doesNotGrowAfterLargeAnswers() {
        LogRangeSizer sizer = new LogRangeSizer(1, 2_000, 5_000);
        sizer.shrink(2_000, 100);
        relax(sizer);
        int before = sizer.size();
        assertThat(before).isLessThan(2_000);

        sizer.succeeded(before, 5_000);

        assertThat(sizer.size()).isEqualTo(before);
    }

    @Test
    void doesNotGrowAfterAShortTailChunk() {
        LogRangeSizer sizer = new LogRangeSizer(1, 2_000, 5_000);
        sizer.shrink(2_000, 100);
        relax(sizer);
        int before = sizer.size();
        assertThat(before).isLessThan(2_000);

        sizer.succeeded(before - 1, 0);

        assertThat(sizer.size()).isEqualTo(before);
    }

    @Test
    void staysUnderTheLearntCeilingUntilItIsRelaxed() {
        LogRangeSizer sizer = new LogRangeSizer(1, 2_000, 5_000);
        sizer.shrink(128, 0); // an endpoint that refuses more than ~100 blocks
        assertThat(sizer.size()).isEqualTo(64);

        for (int i = 1; i < LogRangeSizer.RELAX_AFTER; i++) {
            sizer.succeeded(sizer.size(), 0);
            assertThat(sizer.size()).as("after %d small answers", i).isEqualTo(64);
        }
        sizer.succeeded(sizer.size(), 0);

        assertThat(sizer.size())
                .as("ceiling forgotten after %d answers", LogRangeSizer.RELAX_AFTER)
                .isEqualTo(128);
    }

    @Test
    void aRefusalWhileGrowingSetsANewCeiling() {
        LogRangeSizer sizer = new LogRangeSizer(1, 2_000, 5_000);
        sizer.shrink(128, 0);
        relax(sizer);
        assertThat(sizer.size()).isEqualTo(128);

        sizer.shrink(128, 0);

        assertThat(sizer.size()).isEqualTo(64);
        sizer.succeeded(64, 0);
        assertThat(sizer.size()).isEqualTo(64);
    }

    @Test
    void rejectsAnImpossibleRange() {
        assertThatThrownBy(() -> new LogRangeSizer(0, 10, 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LogRangeSizer(10, 9, 1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** Enough small answers to forget the ceiling; the last one also doubles the size. */
    private static void relax(LogRangeSizer sizer) {
        for (int i = 0; i < LogRangeSizer.RELAX_AFTER; i++) {
            sizer.succeeded(sizer.size(), 0);
        }
    }
}
