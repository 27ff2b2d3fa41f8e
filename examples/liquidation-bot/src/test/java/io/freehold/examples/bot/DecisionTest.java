package io.freehold.examples.bot;

import static org.assertj.core.api.Assertions.assertThat;

import io.freehold.sdk.Cursor;
import io.freehold.sdk.HealthBand;
import io.freehold.sdk.HealthFactor;
import io.freehold.sdk.Opportunity;
import io.freehold.sdk.Position;
import io.freehold.sdk.Wad;
import io.freehold.types.Address;
import io.freehold.types.MarketId;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bot's rules, one by one, and the state file that keeps it from acting twice across restarts.
 */
class DecisionTest {

    @TempDir Path dir;

    @Test
    void anOpportunityActedOnIsNotActedOnAgainAfterARestart_butWhatALiquidationLeftIsNew() {
        Path file = dir.resolve("state");
        Opportunity o = opportunity(true, false, 1_000, "5000");
        assertThat(Decision.decide(o, BotState.load(file), false, BigInteger.ONE).act()).isTrue();

        BotState state = BotState.load(file);
        state.acting(Decision.key(o));
        // A crash between "sending" and the receipt: the shares are unchanged, so it did not land:
        // one retry.
        assertThat(Decision.decide(o, BotState.load(file), false, BigInteger.ONE).act()).isTrue();
        state.acted(Decision.key(o), "0xabc");
        Decision again = Decision.decide(o, BotState.load(file), false, BigInteger.ONE);
        assertThat(again.act()).isFalse();
        assertThat(again.reason()).contains("already liquidated by this bot in 0xabc");
        // Half the debt repaid, the rest still liquidatable: other shares, a new opportunity.
        assertThat(
                        Decision.decide(
                                        opportunity(true, false, 1_000, "2500"),
                                        BotState.load(file),
                                        false,
                                        BigInteger.ONE)
                                .act())
                .isTrue();
    }

    @Test
    void theNodesOwnNotYetLiquidatableAndUnprofitableAreSkippedWithTheirReason() {
        BotState empty = BotState.load(dir.resolve("none"));
        assertThat(
                        Decision.decide(
                                        opportunity(false, false, 1_000, "1"),
                                        empty,
                                        false,
                                        BigInteger.ONE)
                                .reason())
                .contains("not liquidatable");
        assertThat(
                        Decision.decide(
                                        opportunity(true, true, 1_000, "1"),
                                        empty,
                                        false,
                                        BigInteger.ONE)
                                .reason())
                .contains("the node will act");
        assertThat(
                        Decision.decide(
                                        opportunity(true, true, 1_000, "1"),
                                        empty,
                                        true,
                                        BigInteger.ONE)
                                .act())
                .isTrue();
        assertThat(
                        Decision.decide(
                                        opportunity(true, false, 5, "1"),
                                        empty,
                                        false,
                                        BigInteger.TEN)
                                .reason())
                .contains("below --min-profit");
    }

    @Test
    void theCursorSurvivesARestart() {
        Path file = dir.resolve("state");
        BotState state = BotState.load(file);
        state.cursor(new Cursor(42, "0x" + "ab".repeat(32), 7));
        state.save();
        assertThat(BotState.load(file).cursor())
                .contains(new Cursor(42, "0x" + "ab".repeat(32), 7));
    }

    private static Opportunity opportunity(
            boolean liquidatable, boolean nodeWillAct, long incentive, String shares) {
        Cursor at = new Cursor(1, "0x" + "00".repeat(32), 1);
        Position p =
                new Position(
                        MarketId.fromHex("0x" + "11".repeat(32)),
                        Address.fromHex("0x" + "a1".repeat(20)),
                        BigInteger.ZERO,
                        BigInteger.ZERO,
                        new BigInteger(shares),
                        BigInteger.TEN,
                        BigInteger.TEN,
                        BigInteger.TEN,
                        Wad.ONE,
                        HealthFactor.of(Wad.parse("0.9")),
                        BigInteger.ONE,
                        BigInteger.ZERO,
                        HealthBand.LIQUIDATABLE,
                        HealthFactor.of(Wad.parse("0.9")),
                        false,
                        OptionalLong.empty(),
                        at,
                        Instant.EPOCH);
        return new Opportunity(
                p,
                liquidatable,
                BigInteger.TEN,
                BigInteger.TEN,
                BigInteger.valueOf(incentive),
                nodeWillAct,
                Optional.empty());
    }
}
