package io.freehold.aave.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.freehold.contracts.local.Anvil;
import io.freehold.contracts.math.aave.AaveBook;
import io.freehold.contracts.math.aave.AaveLog;
import io.freehold.contracts.math.aave.AaveReserve;
import io.freehold.types.Address;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.generated.Uint256;

class AaveLocalMarketTest {

    @Test
    void deploysAnRmmLikeMarketThatTheBookRebuildsFromItsLogs() throws Exception {
        try (Anvil anvil = Anvil.start()) {
            long started = System.nanoTime();
            AaveMarket market = AaveLocalMarket.deploy(anvil);
            System.out.printf(
                    "local Aave market deployed in %d ms%n",
                    (System.nanoTime() - started) / 1_000_000);
            ChainWriter admin = new ChainWriter(anvil, anvil.credentials(0));
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

            for (AaveMarket.Reserve r : List.of(market.stablecoin(), market.propertyToken())) {
                BigInteger onChain = configuration(admin, market, r.asset());
                AaveReserve reserve = book.reserveOf(Address.of(r.asset()));
                assertThat(reserve.configuration().data()).as(r.symbol()).isEqualTo(onChain);
                assertThat(reserve.aToken()).isEqualTo(Address.of(r.aToken()));
                assertThat(book.price(Address.of(r.asset())))
                        .isEqualTo(
                                r == market.stablecoin()
                                        ? AaveLocalMarket.BASE_CURRENCY_UNIT
                                        : AaveLocalMarket.PROPERTY_PRICE);
            }
            AaveReserve property = book.reserveOf(Address.of(market.propertyToken().asset()));
            assertThat(property.configuration().ltv()).isEqualTo(7_000);
            assertThat(property.configuration().liquidationThreshold()).isEqualTo(7_500);
            assertThat(property.configuration().liquidationBonus()).isEqualTo(11_000);
            assertThat(property.configuration().decimals()).isEqualTo(18);
        }
    }

    @Test
    void aCachedMarketComesBackWithItsHistory(@TempDir Path cache) throws Exception {
        AaveMarket deployed;
        BigInteger usdConfiguration;
        try (Anvil anvil = Anvil.start()) {
            long started = System.nanoTime();
            deployed = AaveMarketCache.deployOrLoad(anvil, cache);
            System.out.printf(
                    "deployed and dumped in %d ms%n", (System.nanoTime() - started) / 1_000_000);
            usdConfiguration =
                    configuration(
                            new ChainWriter(anvil, anvil.credentials(0)),
                            deployed,
                            deployed.stablecoin().asset());
        }
        try (Anvil anvil = Anvil.start()) {
            long started = System.nanoTime();
            AaveMarket loaded = AaveMarketCache.deployOrLoad(anvil, cache);
            System.out.printf("loaded in %d ms%n", (System.nanoTime() - started) / 1_000_000);
            assertThat(loaded).isEqualTo(deployed);
            MarketLogs logs = new MarketLogs(anvil);
            AaveBook book =
                    new AaveBook(
                            new AaveBook.Market(
                                    Address.of(loaded.pool()),
                                    Address.of(loaded.poolConfigurator()),
                                    Address.of(loaded.oracle())));
            for (AaveLog log : logs.between(loaded.startBlock(), logs.head())) {
                book.apply(log);
            }
            assertThat(
                            book.reserveOf(Address.of(loaded.stablecoin().asset()))
                                    .configuration()
                                    .data())
                    .isEqualTo(usdConfiguration)
                    .isEqualTo(
                            configuration(
                                    new ChainWriter(anvil, anvil.credentials(0)),
                                    loaded,
                                    loaded.stablecoin().asset()));
            // The chain goes on from the loaded head: the deployer's nonce came back too.
            new ChainWriter(anvil, anvil.credentials(0))
                    .send(
                            loaded.stablecoin().asset(),
                            "mint",
                            new org.web3j.abi.datatypes.Address(loaded.admin()),
                            new Uint256(1));
        }
    }

    @SuppressWarnings("rawtypes")
    static BigInteger configuration(ChainWriter as, AaveMarket market, String asset)
            throws Exception {
        List<Type> out =
                as.call(
                        market.pool(),
                        "getConfiguration",
                        List.of(new org.web3j.abi.datatypes.Address(asset)),
                        List.of(new TypeReference<Uint256>() {}),
                        null);
        return (BigInteger) out.get(0).getValue();
    }
}
