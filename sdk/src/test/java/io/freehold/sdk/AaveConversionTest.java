package io.freehold.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import io.freehold.contracts.math.aave.AccountData;
import io.freehold.proto.v1.AaveAccount;
import io.freehold.proto.v1.AaveAccountReserve;
import io.freehold.proto.v1.AaveLiquidationCall;
import io.freehold.proto.v1.AaveMarket;
import io.freehold.proto.v1.AaveReserve;
import io.freehold.proto.v1.HealthBand;
import io.freehold.proto.v1.LiquidationOpportunity;
import io.freehold.sdk.internal.ProtoConverter;
import io.freehold.types.Address;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;

/**
 * The Aave shape of {@code freehold.v1} (docs/AAVE.md) read into the SDK's types: the Freehold-only
 * fields the node leaves empty do not fail the conversion, every Aave figure arrives exactly, and a
 * message without {@code protocol} is Freehold's.
 */
class AaveConversionTest {

    private static final String POOL = "0x5fbdb2315678afecb367f032d93f642f64180aa3";
    private static final String MARKET_ID =
            "0x0000000000000000000000005fbdb2315678afecb367f032d93f642f64180aa3";
    private static final String USDC = "0xe7f1725e7734ce288f8367e1bb143e90bb3f0512";
    private static final String REALT = "0x9fe46736679d2d9a65f0992f2272de9f3c7fa6e0";
    private static final String ACCOUNT = "0x70997970c51812dc3a010c7d01b50e0d17dc79c8";

    @Test
    void anAaveAccountReadsAsAnAaveAccountWithThePoolsFigures() {
        Position p = ProtoConverter.position(aavePosition());

        assertThat(p.protocol()).isEqualTo(Protocol.AAVE_V3);
        assertThat(p.account()).isEqualTo(Address.of(ACCOUNT));
        assertThat(p.healthFactor().toWad()).isEqualTo(Wad.parse("0.965"));
        assertThat(p.debt()).isNull();
        assertThat(p.ltv()).isNull();
        var a = p.aave().orElseThrow();
        assertThat(a.accountData())
                .isEqualTo(
                        new AccountData(
                                new BigInteger("2000000000000"),
                                new BigInteger("1554404145077"),
                                BigInteger.ZERO,
                                BigInteger.valueOf(7_500),
                                BigInteger.valueOf(7_000),
                                new BigInteger("965000000000000000")));
        assertThat(a.ltv()).isEqualTo(new BasisPoints(7_000));
        assertThat(a.currentLiquidationThreshold().toWad()).isEqualTo(Wad.parse("0.75"));
        assertThat(a.eModeCategory()).isEqualTo(1);
        var usdc = a.reserve(Address.of(USDC)).orElseThrow();
        assertThat(usdc.variableDebt()).isEqualTo(new BigInteger("15544041450"));
        assertThat(usdc.scaledVariableDebt()).isEqualTo(new BigInteger("15000000000"));
        assertThat(usdc.borrowing()).isTrue();
        assertThat(usdc.collateral()).isFalse();
        assertThat(a.reserve(Address.of(REALT)).orElseThrow().collateral()).isTrue();
    }

    @Test
    void anAavePoolReadsAsOneMarketWithItsReserves() {
        Market m =
                ProtoConverter.market(
                        io.freehold.proto.v1.Market.newBuilder()
                                .setMarketId(MARKET_ID)
                                .setOracle(POOL)
                                .setProtocol("aave-v3")
                                .setPositionsWarning(2)
                                .setAave(
                                        AaveMarket.newBuilder()
                                                .setPool(POOL)
                                                .setAddressesProvider(POOL)
                                                .setPoolConfigurator(POOL)
                                                .setOracle(POOL)
                                                .setBaseCurrency(
                                                        "0x0000000000000000000000000000000000000000")
                                                .setBaseCurrencyUnit("100000000")
                                                .addReserves(
                                                        AaveReserve.newBuilder()
                                                                .setAsset(REALT)
                                                                .setAToken(POOL)
                                                                .setVariableDebtToken(POOL)
                                                                .setDecimals(18)
                                                                .setLtvBps(7_000)
                                                                .setLiquidationThresholdBps(7_500)
                                                                .setLiquidationBonusBps(11_000)
                                                                .setActive(true)
                                                                .setConfiguration("123456789")
                                                                .setNormalizedIncome(
                                                                        "1000000000000000000000000000")
                                                                .setNormalizedVariableDebt(
                                                                        "1000000000000000000000000000")
                                                                .setLiquidityRate("0")
                                                                .setVariableBorrowRate("0")
                                                                .setLastUpdateTimestamp(
                                                                        1_700_000_000)))
                                .build());

        assertThat(m.protocol()).isEqualTo(Protocol.AAVE_V3);
        assertThat(m.collateralToken()).isNull();
        assertThat(m.parameters()).isNull();
        assertThat(m.positionsWarning()).isEqualTo(2);
        var pool = m.aave().orElseThrow();
        assertThat(pool.baseCurrency()).contains(Address.ZERO);
        assertThat(pool.baseCurrencyUnit()).contains(BigInteger.TEN.pow(8));
        var realt = pool.reserve(Address.of(REALT)).orElseThrow();
        assertThat(realt.liquidationBonus()).isEqualTo(new BasisPoints(11_000));
        assertThat(realt.liquidationBonus().toString()).isEqualTo("110.00%");
        assertThat(realt.price()).as("no answer from its source yet").isEmpty();
        assertThat(realt.configuration()).isEqualTo(BigInteger.valueOf(123_456_789));
    }

    @Test
    void anAaveOpportunityCarriesItsLiquidationCall() {
        Opportunity o =
                ProtoConverter.opportunity(
                        LiquidationOpportunity.newBuilder()
                                .setPosition(aavePosition())
                                .setLiquidatable(true)
                                .setMaxRepay("7772020725")
                                .setSeizedCollateral("163147668393782383419")
                                .setExpectedIncentive("777202072")
                                .setAave(
                                        AaveLiquidationCall.newBuilder()
                                                .setCollateralAsset(REALT)
                                                .setDebtAsset(USDC)
                                                .setCloseFactorBps(5_000)
                                                .setProtocolFee("0"))
                                .build());

        var call = o.aave().orElseThrow();
        assertThat(call.collateralAsset()).isEqualTo(Address.of(REALT));
        assertThat(call.debtAsset()).isEqualTo(Address.of(USDC));
        assertThat(call.closeFactor()).isEqualTo(new BasisPoints(5_000));
        assertThat(o.maxRepay()).isEqualTo(new BigInteger("7772020725"));
        assertThat(o.position().protocol()).isEqualTo(Protocol.AAVE_V3);
    }

    @Test
    void withoutAProtocolItIsFreeholdAndAnUnknownOneIsUnknown() {
        io.freehold.proto.v1.Position freehold = FreeholdClientTest.protoPosition(ACCOUNT);
        Position p = ProtoConverter.position(freehold);
        assertThat(p.protocol()).isEqualTo(Protocol.FREEHOLD);
        assertThat(p.aave()).isEmpty();
        assertThat(p.debt()).isNotNull();
        assertThat(ProtoConverter.market(FreeholdClientTest.protoMarket()).aave()).isEmpty();
        assertThat(Protocol.fromWireName("")).isEqualTo(Protocol.FREEHOLD);
        assertThat(Protocol.fromWireName("freehold")).isEqualTo(Protocol.FREEHOLD);
        assertThat(Protocol.fromWireName("compound-v2")).isEqualTo(Protocol.UNKNOWN);
        assertThat(
                        ProtoConverter.position(
                                        freehold.toBuilder().setProtocol("compound-v2").build())
                                .protocol())
                .isEqualTo(Protocol.UNKNOWN);
    }

    private static io.freehold.proto.v1.Position aavePosition() {
        return io.freehold.proto.v1.Position.newBuilder()
                .setMarketId(MARKET_ID)
                .setAccount(ACCOUNT)
                .setHealthFactor("965000000000000000")
                .setBand(HealthBand.HEALTH_BAND_LIQUIDATABLE)
                .setProtocol("aave-v3")
                .setAave(
                        AaveAccount.newBuilder()
                                .setTotalCollateralBase("2000000000000")
                                .setTotalDebtBase("1554404145077")
                                .setAvailableBorrowsBase("0")
                                .setCurrentLiquidationThreshold("7500")
                                .setLtv("7000")
                                .setHealthFactor("965000000000000000")
                                .setEModeCategory(1)
                                .addReserves(
                                        AaveAccountReserve.newBuilder()
                                                .setAsset(USDC)
                                                .setScaledATokenBalance("0")
                                                .setATokenBalance("0")
                                                .setScaledVariableDebt("15000000000")
                                                .setVariableDebt("15544041450")
                                                .setBorrowing(true))
                                .addReserves(
                                        AaveAccountReserve.newBuilder()
                                                .setAsset(REALT)
                                                .setScaledATokenBalance("38167938931297709923")
                                                .setATokenBalance("38167938931297709923")
                                                .setScaledVariableDebt("0")
                                                .setVariableDebt("0")
                                                .setCollateral(true)))
                .build();
    }
}
