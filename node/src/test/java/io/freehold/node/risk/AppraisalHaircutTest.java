package io.freehold.node.risk;

import static io.freehold.node.risk.StateBuilder.address;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.freehold.contracts.math.MarketState;
import io.freehold.contracts.math.Risk;
import io.freehold.types.Address;
import io.freehold.types.MarketId;
import java.math.BigDecimal;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;

/**
 * Appraisal age and the informational haircut: the basis points for an age, the discounted price,
 * the health factor after it as the engine reports it, and that it never makes anything
 * liquidatable; and the configuration's checks.
 */
class AppraisalHaircutTest {

    private static final long DAY = 24 * 3600;
    private static final BigInteger PRICE =
            BigInteger.valueOf(5_240).multiply(BigInteger.TEN.pow(22)); // $52.40
    private static final BigInteger TOKEN = BigInteger.TEN.pow(18);
    private static final BigInteger USD = BigInteger.TEN.pow(6);

    @Test
    void basisPointsGrowLinearlyWithAgeRoundedUpAndStopAtTheWholePrice() {
        assertThat(AppraisalHaircut.bps(0, 1_200)).isZero();
        assertThat(AppraisalHaircut.bps(1, 1_200)).as("a second old: rounded up").isEqualTo(1);
        assertThat(AppraisalHaircut.bps(30 * DAY, 1_200)).as("1200 × 30/365 = 98.6").isEqualTo(99);
        assertThat(AppraisalHaircut.bps(365 * DAY, 1_200)).isEqualTo(1_200);
        assertThat(AppraisalHaircut.bps(365 * DAY / 2, 1_200)).isEqualTo(600);
        assertThat(AppraisalHaircut.bps(10 * 365 * DAY, 1_200)).isEqualTo(10_000);
        assertThat(AppraisalHaircut.bps(Long.MAX_VALUE, 1_200)).isEqualTo(10_000);
        assertThat(AppraisalHaircut.bps(365 * DAY, 0)).as("turned off").isZero();

        assertThat(AppraisalHaircut.price(BigInteger.valueOf(10_001), 99))
                .as("10001 × 0.9901 = 9901.99, down")
                .isEqualTo(BigInteger.valueOf(9_901));
        assertThat(AppraisalHaircut.price(PRICE, 0)).isEqualTo(PRICE);
        assertThat(AppraisalHaircut.price(PRICE, 10_000)).isZero();
        assertThat(AppraisalHaircut.ageSeconds(1_000, 1_000)).isZero();
        assertThat(AppraisalHaircut.ageSeconds(1_000, 400)).isEqualTo(600);
        assertThatThrownBy(() -> AppraisalHaircut.price(PRICE, 10_001))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theEngineReportsTheAgeAndTheHealthAfterTheHaircutButActsOnlyOnThePoolsRule() {
        // Health factor ~1.02 on a 45-day-old appraisal: 148 bps off the price makes it ~1.005; 150
        // days
        // (493 bps) would make it ~0.97 after the haircut, while the pool still calls it healthy.
        StateBuilder chain = new StateBuilder(100, 1_800_000_000L);
        Address token = address(0x7001);
        Address borrower = address(0x200);
        MarketId id = chain.market(1, token, StateBuilder.ORACLE);
        chain.feed(token, PRICE, chain.timestamp, 365 * DAY);
        BigInteger collateral = TOKEN.multiply(BigInteger.valueOf(400));
        BigInteger debt =
                USD.multiply(BigInteger.valueOf(15_400)); // max debt 15,720: health factor 1.0207
        chain.totals(
                id,
                new MarketState(
                        debt.multiply(BigInteger.TEN),
                        debt.multiply(BigInteger.TEN).multiply(USD),
                        debt,
                        debt.multiply(USD),
                        collateral,
                        chain.timestamp + 150 * DAY)); // accrued when read, no interest
        chain.position(id, borrower, BigInteger.ZERO, debt.multiply(USD), collateral);
        chain.timestamp += 45 * DAY;
        RiskEngine engine = new RiskEngine(RiskConfiguration.defaults(), StateBuilder.ORACLE);
        engine.applied(chain.mine(), chain.state());

        MarketRisk market = engine.market(id).orElseThrow();
        assertThat(market.appraisalAgeSeconds()).isEqualTo(45 * DAY);
        assertThat(market.ageHaircutBps()).as("1200 × 45/365 = 147.9").isEqualTo(148);
        assertThat(market.haircutPrice())
                .isEqualTo(
                        PRICE.multiply(BigInteger.valueOf(9_852))
                                .divide(BigInteger.valueOf(10_000)));
        PositionRisk risk = engine.risk(id, borrower).orElseThrow();
        assertThat(risk.appraisalAgeSeconds()).isEqualTo(45 * DAY);
        assertThat(risk.healthFactorAfterHaircut())
                .isEqualTo(
                        Risk.healthFactor(
                                Risk.collateralValue(collateral, market.haircutPrice()),
                                StateBuilder.wad("0.75"),
                                debt));
        assertThat(risk.healthFactorAfterHaircut())
                .isLessThan(risk.healthFactor())
                .isGreaterThan(StateBuilder.WAD);

        chain.next(105 * DAY);
        engine.applied(chain.mine(), chain.state());
        risk = engine.risk(id, borrower).orElseThrow();
        assertThat(engine.market(id).orElseThrow().ageHaircutBps()).isEqualTo(494);
        assertThat(risk.healthFactorAfterHaircut()).isLessThan(StateBuilder.WAD);
        assertThat(risk.healthFactor()).isGreaterThan(StateBuilder.WAD);
        assertThat(risk.band()).as("the haircut is informational").isEqualTo(HealthBand.WARNING);
        assertThat(engine.liquidatable()).isEmpty();

        RiskEngine noHaircut =
                new RiskEngine(
                        new RiskConfiguration(new BigDecimal("1.1"), 0), StateBuilder.ORACLE);
        noHaircut.reset(chain.state());
        PositionRisk plain = noHaircut.risk(id, borrower).orElseThrow();
        assertThat(plain.healthFactorAfterHaircut()).isEqualTo(plain.healthFactor());
    }

    @Test
    void theConfigurationRefusesWhatCannotWorkNamingTheKey() {
        assertThat(RiskConfiguration.defaults().warningHealthFactorWad())
                .isEqualTo(StateBuilder.wad("1.1"));
        assertThat(
                        new RiskConfiguration(new BigDecimal("1.000000000000000001"), 0)
                                .warningHealthFactorWad())
                .isEqualTo(StateBuilder.WAD.add(BigInteger.ONE));
        assertThatThrownBy(() -> new RiskConfiguration(BigDecimal.ONE, 1_200))
                .hasMessageContaining("freehold.node.risk.warning-health-factor")
                .hasMessageContaining("above 1");
        assertThatThrownBy(() -> new RiskConfiguration(new BigDecimal("0.9"), 1_200))
                .hasMessageContaining("freehold.node.risk.warning-health-factor");
        assertThatThrownBy(
                        () -> new RiskConfiguration(new BigDecimal("1.0000000000000000001"), 1_200))
                .hasMessageContaining("freehold.node.risk.warning-health-factor")
                .hasMessageContaining("18 decimals");
        assertThatThrownBy(() -> new RiskConfiguration(new BigDecimal("2000000"), 1_200))
                .hasMessageContaining("freehold.node.risk.warning-health-factor");
        assertThatThrownBy(() -> new RiskConfiguration(null, 1_200))
                .hasMessageContaining("freehold.node.risk.warning-health-factor");
        assertThatThrownBy(() -> new RiskConfiguration(new BigDecimal("1.1"), -1))
                .hasMessageContaining("freehold.node.risk.age-haircut-bps-per-year");
    }
}
