package io.freehold.contracts.math;

import static org.assertj.core.api.Assertions.assertThat;

import io.freehold.types.Address;
import java.math.BigInteger;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The cure-window rule, case by case as test/unit/LendingPool.CureWindow.t.sol walks it. */
class CureWindowTest {

    private static final LiquidationTerms TERMS =
            new LiquidationTerms(
                    Address.of("0x5FbDB2315678afecb367f032d93F642f64180aa3"),
                    86_400,
                    new BigInteger("900000000000000000"));
    private static final BigInteger UNHEALTHY = new BigInteger("975000000000000000");
    private static final BigInteger UNDER_FLOOR = new BigInteger("875000000000000000");
    private static final BigInteger P78 = BigInteger.valueOf(78);
    private static final BigInteger P77 = BigInteger.valueOf(77);
    private static final BigInteger P79 = BigInteger.valueOf(79);
    private static final BigInteger SEQ = BigInteger.valueOf(5);

    private static CureFlagState flaggedAt(long t) {
        return new CureFlagState(t, SEQ, P78, false);
    }

    @Test
    void noWindowOrUnderTheFloorOpensAtOnce() {
        assertThat(
                        CureWindow.openFrom(
                                LiquidationTerms.FIXED, CureFlagState.NONE, UNHEALTHY, SEQ, P78))
                .isEqualTo(OptionalLong.of(0));
        assertThat(CureWindow.openFrom(TERMS, CureFlagState.NONE, UNDER_FLOOR, SEQ, P78))
                .isEqualTo(OptionalLong.of(0));
        assertThat(CureWindow.isOpen(TERMS, CureFlagState.NONE, UNDER_FLOOR, SEQ, P78, 1)).isTrue();
    }

    @Test
    void aFlagOpensAtTheEndOfItsWindow() {
        assertThat(CureWindow.openFrom(TERMS, CureFlagState.NONE, UNHEALTHY, SEQ, P78)).isEmpty();
        assertThat(CureWindow.openFrom(TERMS, flaggedAt(1_000), UNHEALTHY, SEQ, P78))
                .isEqualTo(OptionalLong.of(87_400));
        assertThat(CureWindow.isOpen(TERMS, flaggedAt(1_000), UNHEALTHY, SEQ, P78, 87_399))
                .isFalse();
        assertThat(CureWindow.isOpen(TERMS, flaggedAt(1_000), UNHEALTHY, SEQ, P78, 87_400))
                .isTrue();
    }

    @Test
    void aFlagHoldsUnderItsAppraisalOrTheNextLowerOne() {
        CureFlagState f = flaggedAt(1_000);
        assertThat(CureWindow.flagHolds(f, SEQ, P78)).isTrue();
        assertThat(CureWindow.flagHolds(f, SEQ.add(BigInteger.ONE), P77)).isTrue();
        assertThat(CureWindow.flagHolds(f, SEQ.add(BigInteger.ONE), P78)).isTrue();
        assertThat(CureWindow.flagHolds(f, SEQ.add(BigInteger.ONE), P79)).isFalse();
        assertThat(CureWindow.flagHolds(f, SEQ.add(BigInteger.TWO), P77)).isFalse();
        assertThat(CureWindow.flagHolds(CureFlagState.NONE, BigInteger.ZERO, BigInteger.ZERO))
                .isFalse();
    }

    @Test
    void flaggingKeepsAHoldingStartAndOtherwiseStartsNow() {
        CureFlagState carried =
                CureWindow.flag(flaggedAt(1_000), SEQ.add(BigInteger.ONE), P77, 5_000);
        assertThat(carried)
                .isEqualTo(new CureFlagState(1_000, SEQ.add(BigInteger.ONE), P77, false));
        CureFlagState restarted =
                CureWindow.flag(flaggedAt(1_000), SEQ.add(BigInteger.TWO), P77, 5_000);
        assertThat(restarted.flaggedAt()).isEqualTo(5_000);
        assertThat(CureWindow.flag(CureFlagState.NONE, SEQ, P78, 7).flaggedAt()).isEqualTo(7);
    }

    @Test
    void healthyOrInAuctionIsNeverOpen() {
        CureFlagState inAuction = new CureFlagState(1_000, SEQ, P78, true);
        assertThat(CureWindow.isOpen(TERMS, inAuction, UNDER_FLOOR, SEQ, P78, 90_000)).isFalse();
        assertThat(
                        CureWindow.isOpen(
                                LiquidationTerms.FIXED,
                                CureFlagState.NONE,
                                FixedPoint.WAD,
                                SEQ,
                                P78,
                                90_000))
                .isFalse();
    }
}
