package io.freehold.aave.local;

import static io.freehold.aave.local.AaveBookDifferentialTest.addr;
import static io.freehold.aave.local.AaveBookDifferentialTest.uint;
import static org.assertj.core.api.Assertions.assertThat;

import io.freehold.contracts.local.Anvil;
import io.freehold.contracts.math.aave.AaveBook;
import io.freehold.contracts.math.aave.AaveEvents;
import io.freehold.contracts.math.aave.AaveHealthIndex;
import io.freehold.contracts.math.aave.AaveLog;
import io.freehold.contracts.math.aave.AccountData;
import io.freehold.types.Address;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.web3j.abi.datatypes.Bool;
import org.web3j.abi.datatypes.generated.Uint16;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.http.HttpService;

/**
 * The health index against the real Aave v3 Pool, in a market made to cross the line: seven
 * borrowers each holding both collaterals (the property token and the stablecoin) borrow the
 * stablecoin at 80–99.5 % of their borrowing power; then seeded random steps — the property's price
 * moving −10 %..+6 %, the stablecoin's (collateral and debt at once) −2 %..+3 %, time jumps up to
 * 120 days, repays, more borrowing, withdrawals, and a third party liquidating whoever is below.
 * After every step the accounts the {@link AaveHealthIndex} (following the book built from the
 * logs) answers below 1 are exactly those {@code getUserAccountData} has below 1 at that block,
 * with the pool's figures.
 */
class AaveHealthIndexChainTest {

    private static final int STEPS = 45;
    private static final BigInteger MAX = BigInteger.TWO.pow(256).subtract(BigInteger.ONE);
    private static final BigInteger USDC = BigInteger.TEN.pow(6);
    private static final BigInteger TOKEN = BigInteger.TEN.pow(18);
    private static final BigInteger WAD = BigInteger.TEN.pow(18);

    @ParameterizedTest
    @ValueSource(longs = {7, 8})
    void theIndexAnswersTheAccountsThePoolHasBelowOne(long seed) throws Exception {
        try (Anvil anvil = Anvil.start()) {
            Random random = new Random(seed);
            AaveMarket market = AaveMarketCache.deployOrLoad(anvil, MarketLogs.CACHE);
            ChainWriter admin = new ChainWriter(anvil, anvil.credentials(0));
            String usd = market.stablecoin().asset();
            String property = market.propertyToken().asset();
            MarketLogs logs = new MarketLogs(anvil);
            HttpService rpc = new HttpService(anvil.rpcUrl());
            AaveBook book =
                    new AaveBook(
                            new AaveBook.Market(
                                    Address.of(market.pool()),
                                    Address.of(market.poolConfigurator()),
                                    Address.of(market.oracle())));
            AaveHealthIndex index = new AaveHealthIndex(WAD);
            long[] applied = {market.startBlock() - 1};
            int[] belowSeen = {0};
            List<ChainWriter> borrowers = new ArrayList<>();
            ChainWriter lender = new ChainWriter(anvil, anvil.credentials(1));
            ChainWriter liquidator = new ChainWriter(anvil, anvil.credentials(9));
            List<ChainWriter> everyone = new ArrayList<>(List.of(lender, liquidator));
            for (int i = 2; i <= 8; i++) {
                ChainWriter b = new ChainWriter(anvil, anvil.credentials(i));
                borrowers.add(b);
                everyone.add(b);
            }
            for (ChainWriter who : everyone) {
                admin.send(
                        usd,
                        "mint",
                        addr(who.address()),
                        uint(USDC.multiply(BigInteger.valueOf(10_000_000))));
                admin.send(
                        property,
                        "mint",
                        addr(who.address()),
                        uint(TOKEN.multiply(BigInteger.valueOf(10_000))));
                who.send(usd, "approve", addr(market.pool()), uint(MAX));
                who.send(property, "approve", addr(market.pool()), uint(MAX));
            }
            supply(lender, market, usd, USDC.multiply(BigInteger.valueOf(8_000_000)));
            for (ChainWriter b : borrowers) {
                supply(
                        b,
                        market,
                        property,
                        TOKEN.multiply(BigInteger.valueOf(100 + random.nextInt(500))));
                supply(
                        b,
                        market,
                        usd,
                        USDC.multiply(BigInteger.valueOf(1_000 + random.nextInt(20_000))));
                borrow(b, market, usd, admin, 800 + random.nextInt(196));
            }
            Runnable check =
                    () -> {
                        try {
                            long head = logs.head();
                            for (AaveLog log : logs.between(applied[0] + 1, head)) {
                                if (AaveEvents.ALL.contains(log.signature())) {
                                    book.apply(log);
                                }
                            }
                            applied[0] = head;
                            AaveHealthIndex.Step step = index.step(book, logs.timestamp(head));
                            Map<Address, AccountData> pool = new TreeMap<>();
                            for (ChainWriter who : everyone) {
                                AccountData data =
                                        AaveLocalMarket.accountData(
                                                admin,
                                                market,
                                                who.address(),
                                                BigInteger.valueOf(head));
                                if (data.healthFactor().compareTo(WAD) < 0) {
                                    pool.put(Address.of(who.address()), data);
                                }
                            }
                            assertThat(step.below())
                                    .as("below 1 at block %d", head)
                                    .isEqualTo(pool);
                            belowSeen[0] += pool.size();
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    };
            check.run();
            BigInteger propertyPrice = AaveLocalMarket.PROPERTY_PRICE;
            BigInteger usdPrice = AaveLocalMarket.BASE_CURRENCY_UNIT;
            int liquidations = 0;
            for (int s = 0; s < STEPS; s++) {
                int action = random.nextInt(100);
                ChainWriter who = borrowers.get(random.nextInt(borrowers.size()));
                try {
                    if (action < 35) {
                        propertyPrice =
                                propertyPrice
                                        .multiply(BigInteger.valueOf(900 + random.nextInt(161)))
                                        .divide(BigInteger.valueOf(1_000));
                        AaveLocalMarket.setPrice(admin, market, property, propertyPrice);
                    } else if (action < 45) {
                        usdPrice =
                                usdPrice.multiply(BigInteger.valueOf(980 + random.nextInt(51)))
                                        .divide(BigInteger.valueOf(1_000));
                        AaveLocalMarket.setPrice(admin, market, usd, usdPrice);
                    } else if (action < 60) {
                        long seconds = 3_600 + (long) (random.nextDouble() * 120 * 24 * 3600);
                        new Request<>(
                                        "evm_increaseTime",
                                        List.of(seconds),
                                        rpc,
                                        AaveBookDifferentialTest.Raw.class)
                                .send();
                        new Request<>(
                                        "evm_mine",
                                        List.of(),
                                        rpc,
                                        AaveBookDifferentialTest.Raw.class)
                                .send();
                    } else if (action < 70) {
                        who.send(
                                market.pool(),
                                "repay",
                                addr(usd),
                                uint(USDC.multiply(BigInteger.valueOf(1 + random.nextInt(20_000)))),
                                uint(2),
                                addr(who.address()));
                    } else if (action < 80) {
                        borrow(who, market, usd, admin, 500 + random.nextInt(496));
                    } else if (action < 88) {
                        who.send(
                                market.pool(),
                                "withdraw",
                                addr(usd),
                                uint(USDC.multiply(BigInteger.valueOf(1 + random.nextInt(2_000)))),
                                addr(who.address()));
                    }
                } catch (IllegalStateException refusedByThePool) {
                    // health, balance: a reverted transaction is still a valid history
                }
                check.run();
                // A third party liquidates whoever is below, now and then.
                if (random.nextInt(3) == 0) {
                    for (ChainWriter b : borrowers) {
                        AccountData data =
                                AaveLocalMarket.accountData(admin, market, b.address(), null);
                        if (data.healthFactor().compareTo(WAD) >= 0) {
                            continue;
                        }
                        try {
                            liquidator.send(
                                    market.pool(),
                                    "liquidationCall",
                                    addr(random.nextBoolean() ? property : usd),
                                    addr(usd),
                                    addr(b.address()),
                                    uint(MAX),
                                    new Bool(false));
                            liquidations++;
                        } catch (IllegalStateException revert) {
                            // nothing of that collateral left
                        }
                        check.run();
                    }
                }
            }
            System.out.printf(
                    "seed %d: %d account-steps below 1, %d liquidations%n",
                    seed, belowSeen[0], liquidations);
            assertThat(belowSeen[0]).as("account-steps below 1").isGreaterThan(5);
            assertThat(liquidations).isPositive();
        }
    }

    private static void supply(ChainWriter who, AaveMarket market, String asset, BigInteger amount)
            throws Exception {
        who.send(
                market.pool(),
                "supply",
                addr(asset),
                uint(amount),
                addr(who.address()),
                new Uint16(0));
    }

    /** {@code permille} ‰ of what the pool would still lend the account, in the stablecoin. */
    private static void borrow(
            ChainWriter who, AaveMarket market, String usd, ChainWriter reader, int permille)
            throws Exception {
        BigInteger available =
                AaveLocalMarket.accountData(reader, market, who.address(), null)
                        .availableBorrowsBase();
        // Base units have 8 decimals and the stablecoin 6 (at about $1.00).
        BigInteger amount =
                available
                        .multiply(BigInteger.valueOf(permille))
                        .divide(BigInteger.valueOf(100_000));
        if (amount.signum() > 0) {
            who.send(
                    market.pool(),
                    "borrow",
                    addr(usd),
                    uint(amount),
                    uint(2),
                    new Uint16(0),
                    addr(who.address()));
        }
    }
}
