package io.freehold.node.risk;

import static io.freehold.node.risk.StateBuilder.address;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.freehold.node.state.PositionRecord;
import io.freehold.types.MarketId;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link LiquidationIndex#putAll}, the rebuild's bulk fill, answers as a put per position would.
 */
class LiquidationIndexBulkTest {

    private static final BigInteger LLTV = StateBuilder.wad("0.75");
    private static final MarketId MARKET = StateBuilder.marketId(1);

    @Test
    void aBulkFilledIndexAnswersAsOneFilledPositionByPosition() {
        Random random = new Random(11);
        List<PositionRecord> positions = new ArrayList<>();
        for (int i = 1; i <= 4_000; i++) {
            // Dust to whales, no collateral, no debt: every bucket and both special cases.
            BigInteger collateral =
                    i % 50 == 0 ? BigInteger.ZERO : new BigInteger(1 + random.nextInt(90), random);
            BigInteger shares =
                    i % 7 == 0 ? BigInteger.ZERO : new BigInteger(1 + random.nextInt(90), random);
            positions.add(
                    new PositionRecord(
                            MARKET,
                            address(i),
                            BigInteger.ZERO,
                            shares,
                            collateral,
                            BigInteger.ZERO,
                            BigInteger.ZERO));
        }
        LiquidationIndex one = new LiquidationIndex(LLTV);
        positions.forEach(p -> one.put(p.account(), p.borrowShares(), p.collateral()));
        LiquidationIndex bulk = new LiquidationIndex(LLTV);
        bulk.put(
                address(3),
                BigInteger.TEN,
                BigInteger.ONE); // replaced by the bulk fill, as put would
        bulk.putAll(positions);

        assertThat(bulk.size()).isEqualTo(one.size());
        for (int i = 0; i < 8; i++) {
            MarketConditions at =
                    new MarketConditions(
                            new BigInteger(1 + random.nextInt(120), random),
                            new BigInteger(1 + random.nextInt(90), random),
                            new BigInteger(1 + random.nextInt(90), random));
            for (BigInteger h : List.of(StateBuilder.WAD, StateBuilder.wad("1.1"))) {
                assertThat(bulk.below(h, at))
                        .containsExactlyInAnyOrderElementsOf(one.below(h, at))
                        .containsExactlyInAnyOrderElementsOf(bulk.scanBelow(h, at));
            }
        }
        // Changes after the bulk fill go through the bucket's tree and array as usual.
        positions
                .subList(0, 1_000)
                .forEach(
                        p -> {
                            one.remove(p.account());
                            bulk.remove(p.account());
                        });
        MarketConditions at =
                new MarketConditions(
                        StateBuilder.WAD.pow(2), BigInteger.TEN.pow(20), BigInteger.TEN.pow(26));
        assertThat(bulk.below(StateBuilder.WAD, at))
                .containsExactlyInAnyOrderElementsOf(one.below(StateBuilder.WAD, at));
    }

    @Test
    void anAccountGivenTwiceIsRefused() {
        PositionRecord p =
                new PositionRecord(
                        MARKET,
                        address(1),
                        BigInteger.ZERO,
                        BigInteger.ONE,
                        BigInteger.TEN,
                        BigInteger.ZERO,
                        BigInteger.ZERO);
        assertThatThrownBy(() -> new LiquidationIndex(LLTV).putAll(List.of(p, p)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
