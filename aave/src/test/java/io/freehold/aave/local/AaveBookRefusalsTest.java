package io.freehold.aave.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.freehold.contracts.local.Anvil;
import io.freehold.contracts.math.aave.AaveBook;
import io.freehold.contracts.math.aave.AaveLog;
import io.freehold.contracts.math.aave.UnsupportedAaveFeatureException;
import io.freehold.types.Address;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;
import org.web3j.abi.datatypes.Bool;
import org.web3j.abi.datatypes.generated.Uint16;
import org.web3j.abi.datatypes.generated.Uint256;

/**
 * What the book does not follow, done for real on the local market: the book stops with an
 * exception naming the feature rather than give figures that would be wrong.
 */
class AaveBookRefusalsTest {

    private static final BigInteger USDC = BigInteger.TEN.pow(6);
    private static final BigInteger TOKEN = BigInteger.TEN.pow(18);

    @Test
    void stableRateDebtIsRefusedByName() throws Exception {
        try (Anvil anvil = Anvil.start()) {
            AaveMarket market = AaveMarketCache.deployOrLoad(anvil, MarketLogs.CACHE);
            ChainWriter admin = new ChainWriter(anvil, anvil.credentials(0));
            ChainWriter borrower = new ChainWriter(anvil, anvil.credentials(1));
            String usd = market.stablecoin().asset();
            String property = market.propertyToken().asset();
            admin.send(
                    market.poolConfigurator(),
                    "setReserveStableRateBorrowing",
                    addr(usd),
                    new Bool(true));
            supply(admin, market, usd, USDC.multiply(BigInteger.valueOf(1_000_000)));
            supply(borrower, market, property, TOKEN.multiply(BigInteger.valueOf(100)));

            AaveBook book = followed(anvil, market);
            assertThat(
                            book.accountData(Address.of(borrower.address()), Long.MAX_VALUE)
                                    .totalCollateralBase())
                    .isPositive();

            borrower.send(
                    market.pool(),
                    "borrow",
                    addr(usd),
                    new Uint256(USDC.multiply(BigInteger.valueOf(100))),
                    new Uint256(1),
                    new Uint16(0),
                    addr(borrower.address()));
            assertThatThrownBy(() -> followed(anvil, market))
                    .isInstanceOfSatisfying(
                            UnsupportedAaveFeatureException.class,
                            e -> assertThat(e.feature()).isEqualTo("stable-rate debt"));
        }
    }

    /** A new book fed every log of the market so far. */
    private static AaveBook followed(Anvil anvil, AaveMarket market) throws Exception {
        MarketLogs logs = new MarketLogs(anvil);
        AaveBook book =
                new AaveBook(
                        new AaveBook.Market(
                                Address.of(market.pool()),
                                Address.of(market.poolConfigurator()),
                                Address.of(market.oracle())));
        for (AaveLog log : logs.between(market.startBlock(), logs.head())) {
            book.apply(log);
        }
        return book;
    }

    private static void supply(ChainWriter who, AaveMarket market, String asset, BigInteger amount)
            throws Exception {
        who.send(asset, "mint", addr(who.address()), new Uint256(amount));
        who.send(asset, "approve", addr(market.pool()), new Uint256(amount));
        who.send(
                market.pool(),
                "supply",
                addr(asset),
                new Uint256(amount),
                addr(who.address()),
                new Uint16(0));
    }

    private static org.web3j.abi.datatypes.Address addr(String address) {
        return new org.web3j.abi.datatypes.Address(address);
    }
}
