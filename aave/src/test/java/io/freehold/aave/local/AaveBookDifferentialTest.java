package io.freehold.aave.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.freehold.contracts.local.Anvil;
import io.freehold.contracts.math.aave.AaveBook;
import io.freehold.contracts.math.aave.AaveEvents;
import io.freehold.contracts.math.aave.AaveHealthIndex;
import io.freehold.contracts.math.aave.AaveLog;
import io.freehold.contracts.math.aave.AaveUserReserve;
import io.freehold.contracts.math.aave.AccountData;
import io.freehold.types.Address;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.web3j.abi.datatypes.Bool;
import org.web3j.abi.datatypes.Utf8String;
import org.web3j.abi.datatypes.generated.Uint128;
import org.web3j.abi.datatypes.generated.Uint16;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.abi.datatypes.generated.Uint8;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.http.HttpService;

/**
 * The book against the real Aave v3 Pool: seeded random histories of supplies, borrows, repays (in
 * the underlying and in aTokens), withdrawals, aToken transfers, collateral switches, eMode entries
 * and exits, a reorg, time jumps, price moves and liquidations by a third party, with several
 * accounts; after every step, every account's {@code getUserAccountData} rebuilt from the logs
 * equals the pool's at the same block, to the wei, and so do both reserves' normalized income and
 * debt. And the {@link AaveHealthIndex} following the same book (for health factors below 1 and
 * below 1.1) answers exactly the accounts the pool has below, with the pool's figures, after every
 * step — price moves of the property, accounts with both collaterals, time jumps, liquidations —
 * and after the reorg (the book taken back to its copy at the fork: rebuilt).
 */
class AaveBookDifferentialTest {

    private static final int STEPS = 70;

    /** Where each history forks: a branch of random steps, then the chain goes back and goes on. */
    private static final int REORG_AT = 35;

    private static final int BRANCH_STEPS = 8;
    private static final String FLASH_LOAN =
            AaveEvents.topic("FlashLoan(address,address,address,uint256,uint8,uint256,uint16)");
    private static final String LIQUIDATION_CALL =
            AaveEvents.topic(
                    "LiquidationCall(address,address,address,uint256,uint256,address,bool)");
    private static final BigInteger MAX = BigInteger.TWO.pow(256).subtract(BigInteger.ONE);
    private static final BigInteger USDC = BigInteger.TEN.pow(6);
    private static final BigInteger TOKEN = BigInteger.TEN.pow(18);
    private static final BigInteger ONE_WAD = BigInteger.TEN.pow(18);
    private static final int ACTORS =
            5; // accounts 1..5 act at random; 6 liquidates; 7 is the crash's borrower

    /**
     * @param isolated the property token is an isolated asset (a debt ceiling, the stablecoin
     *     borrowable in isolation): supplying it beside other collateral no longer makes it
     *     collateral, and accounts holding only it borrow in isolation mode
     */
    @ParameterizedTest(name = "seed {0}, property isolated: {1}")
    @CsvSource({"1,false", "2,false", "3,false", "4,true"})
    void accountDataFromEventsEqualsThePoolAfterEveryStep(long seed, boolean isolated)
            throws Exception {
        try (Anvil anvil = Anvil.start()) {
            History history = new History(anvil, seed);
            if (isolated) {
                history.isolateProperty();
            }
            history.fund();
            history.checkEverything();
            for (int step = 0; step < STEPS; step++) {
                if (step == REORG_AT) {
                    history.reorg();
                }
                history.randomStep(step);
                history.checkEverything();
            }
            // A price crash at the end, so every history has liquidations to check.
            history.crashAndLiquidate();
            history.checkEverything();
            System.out.printf(
                    "seed %d: %d actions, %d reverted, %d liquidations, %d reorgs, %d checks,"
                            + " %d accounts valued by the health indexes, %d account-steps below"
                            + " 1%n",
                    seed,
                    history.actions,
                    history.reverted,
                    history.liquidations,
                    history.reorgs,
                    history.checks,
                    history.indexValued,
                    history.belowSeen);
            assertThat(history.belowSeen).as("accounts below 1 seen by the index").isPositive();
            assertThat(history.liquidations).as("liquidations in the history").isPositive();
            // The history took the paths the book has rules for.
            assertThat(history.seen)
                    .as("events applied in seed %d", seed)
                    .contains(
                            AaveEvents.RESERVE_DATA_UPDATED,
                            AaveEvents.MINT,
                            AaveEvents.BURN,
                            AaveEvents.BALANCE_TRANSFER,
                            AaveEvents.COLLATERAL_ENABLED,
                            AaveEvents.COLLATERAL_DISABLED,
                            AaveEvents.ANSWER_UPDATED,
                            AaveEvents.ASSET_SOURCE_UPDATED,
                            AaveEvents.EMODE_CATEGORY_ADDED,
                            FLASH_LOAN,
                            AaveEvents.USER_EMODE_SET,
                            LIQUIDATION_CALL);
            assertThat(history.checks).isPositive();
        }
    }

    /** One seeded history on a fresh local market, and the book following it. */
    private static final class History {
        final Anvil anvil;
        final Random random;
        final AaveMarket market;
        final ChainWriter admin;
        final List<ChainWriter> actors = new ArrayList<>();
        final ChainWriter liquidator;
        final ChainWriter edge;
        final MarketLogs logs;
        AaveBook book;
        String flashReceiver;
        int reorgs;
        final HttpService rpc;
        long applied;
        BigInteger propertyPrice = AaveLocalMarket.PROPERTY_PRICE;
        int actions;
        int reverted;
        int liquidations;
        int checks;

        /** Every event the history emitted (applied to the book or not). */
        final java.util.Set<String> seen = new java.util.HashSet<>();

        final List<AaveHealthIndex> indexes =
                List.of(
                        new AaveHealthIndex(ONE_WAD),
                        new AaveHealthIndex(ONE_WAD.add(ONE_WAD.divide(BigInteger.TEN))));
        int indexValued;
        int belowSeen;

        History(Anvil anvil, long seed) throws Exception {
            this.anvil = anvil;
            this.random = new Random(seed);
            this.market = AaveMarketCache.deployOrLoad(anvil, MarketLogs.CACHE);
            this.admin = new ChainWriter(anvil, anvil.credentials(0));
            for (int i = 1; i <= ACTORS; i++) {
                actors.add(new ChainWriter(anvil, anvil.credentials(i)));
            }
            this.liquidator = new ChainWriter(anvil, anvil.credentials(6));
            this.edge = new ChainWriter(anvil, anvil.credentials(7));
            this.logs = new MarketLogs(anvil);
            this.rpc = new HttpService(anvil.rpcUrl());
            this.book =
                    new AaveBook(
                            new AaveBook.Market(
                                    Address.of(market.pool()),
                                    Address.of(market.poolConfigurator()),
                                    Address.of(market.oracle())));
            this.applied = market.startBlock() - 1;
        }

        /** A $10M debt ceiling (in cents, as Aave counts it) on the property token. */
        void isolateProperty() throws Exception {
            admin.send(
                    market.poolConfigurator(),
                    "setDebtCeiling",
                    addr(property()),
                    uint(1_000_000_000L));
            admin.send(
                    market.poolConfigurator(),
                    "setBorrowableInIsolation",
                    addr(usd()),
                    new Bool(true));
        }

        void fund() throws Exception {
            // Aave's usual 10 % of the bonus to the treasury, so liquidations also move aTokens
            // to it (a BalanceTransfer the pool's LiquidationCall does not show).
            for (String asset : List.of(usd(), property())) {
                admin.send(
                        market.poolConfigurator(),
                        "setLiquidationProtocolFee",
                        addr(asset),
                        uint(1_000));
            }
            List<ChainWriter> everyone = new ArrayList<>(actors);
            everyone.add(edge);
            everyone.add(liquidator);
            for (ChainWriter who : everyone) {
                admin.send(
                        usd(),
                        "mint",
                        addr(who.address()),
                        uint(USDC.multiply(BigInteger.valueOf(2_000_000))));
                admin.send(
                        property(),
                        "mint",
                        addr(who.address()),
                        uint(TOKEN.multiply(BigInteger.valueOf(20_000))));
                who.send(usd(), "approve", addr(market.pool()), uint(MAX));
                who.send(property(), "approve", addr(market.pool()), uint(MAX));
            }
            // An eMode category for the stablecoin, as Aave markets have: 90 % / 93 % / 2 %, priced
            // by the stablecoin's own feed; accounts enter and leave it at random.
            admin.send(
                    market.poolConfigurator(),
                    "setEModeCategory",
                    new Uint8(1),
                    new Uint16(9_000),
                    new Uint16(9_300),
                    new Uint16(10_200),
                    addr(usd()),
                    new Utf8String("stablecoins"));
            admin.send(
                    market.poolConfigurator(), "setAssetEModeCategory", addr(usd()), new Uint8(1));
            // Flash loans of the stablecoin at Aave's usual 0.09 %: the premium raises the
            // liquidity index through ReserveDataUpdated.
            admin.send(
                    market.poolConfigurator(),
                    "setReserveFlashLoaning",
                    addr(usd()),
                    new Bool(true));
            admin.send(market.poolConfigurator(), "updateFlashloanPremiumTotal", new Uint128(9));
            AaveArtifact receiver =
                    AaveArtifact.load(
                            "mocks/flashloan/MockSimpleFlashLoanReceiver.sol/MockFlashLoanSimpleReceiver");
            flashReceiver =
                    admin.deploy(
                            receiver.name(),
                            receiver.linkedBytecode(java.util.Map.of()),
                            addr(market.addressesProvider()));
            // Lenders' stablecoin, so borrowers have something to borrow.
            for (int i = 0; i < 2; i++) {
                supply(
                        actors.get(i),
                        usd(),
                        USDC.multiply(BigInteger.valueOf(200_000 + random.nextInt(200_000))));
            }
        }

        void randomStep(int step) throws Exception {
            ChainWriter who = actors.get(random.nextInt(ACTORS));
            int action = random.nextInt(100);
            actions++;
            try {
                if (action < 14) {
                    supply(who, property(), randomAmount(TOKEN, 2_000));
                } else if (action < 24) {
                    supply(who, usd(), randomAmount(USDC, 60_000));
                } else if (action < 42) {
                    borrowPartOfAvailable(who);
                } else if (action < 52) {
                    BigInteger amount = random.nextInt(3) == 0 ? MAX : randomAmount(USDC, 8_000);
                    who.send(
                            market.pool(),
                            "repay",
                            addr(usd()),
                            uint(amount),
                            uint(2),
                            addr(who.address()));
                } else if (action < 56) {
                    BigInteger amount = random.nextBoolean() ? MAX : randomAmount(USDC, 3_000);
                    who.send(market.pool(), "repayWithATokens", addr(usd()), uint(amount), uint(2));
                } else if (action < 63) {
                    String asset = random.nextBoolean() ? usd() : property();
                    BigInteger amount =
                            random.nextInt(4) == 0
                                    ? MAX
                                    : fractionOf(balance(aToken(asset), who.address()));
                    who.send(
                            market.pool(),
                            "withdraw",
                            addr(asset),
                            uint(amount),
                            addr(who.address()));
                } else if (action < 70) {
                    String asset = random.nextBoolean() ? usd() : property();
                    ChainWriter to = actors.get(random.nextInt(ACTORS));
                    BigInteger amount = fractionOf(balance(aToken(asset), who.address()));
                    who.send(aToken(asset), "transfer", addr(to.address()), uint(amount));
                } else if (action < 73) {
                    who.send(market.pool(), "setUserEMode", new Uint8(random.nextInt(2)));
                } else if (action < 75) {
                    String asset = random.nextBoolean() ? usd() : property();
                    who.send(
                            market.pool(),
                            "setUserUseReserveAsCollateral",
                            addr(asset),
                            new Bool(random.nextBoolean()));
                } else if (action < 77) {
                    who.send(
                            market.pool(),
                            "flashLoanSimple",
                            addr(flashReceiver),
                            addr(usd()),
                            uint(randomAmount(USDC, 50_000)),
                            new org.web3j.abi.datatypes.DynamicBytes(new byte[0]),
                            new Uint16(0));
                } else if (action < 86) {
                    long seconds =
                            1
                                    + (long)
                                            (random.nextDouble()
                                                    * random.nextDouble()
                                                    * 120
                                                    * 24
                                                    * 3600);
                    rpc("evm_increaseTime", seconds);
                    rpc("evm_mine");
                } else if (action < 94) {
                    // -25 % .. +15 %
                    int permille = 750 + random.nextInt(401);
                    movePropertyPrice(permille);
                } else {
                    liquidateAnyone();
                }
            } catch (IllegalStateException revert) {
                reverted++; // the pool said no (health, caps, no balance): still a valid history
            }
        }

        /**
         * A reorg as a follower meets it: the book copied at the fork, a branch of steps applied
         * and checked, then the chain reverted to the fork ({@code evm_revert}) and the copy taken
         * up again; the history goes on from there on a new branch.
         */
        void reorg() throws Exception {
            long fork = logs.head();
            Object snapshot = rpcResult("evm_snapshot");
            AaveBook atFork = book.copy();
            for (int i = 0; i < BRANCH_STEPS; i++) {
                randomStep(REORG_AT);
                checkEverything();
            }
            rpc("evm_revert", snapshot);
            logs.rewindTo(fork);
            book = atFork;
            applied = fork;
            reorgs++;
            checkEverything();
        }

        /**
         * A borrower that took no random step, on property alone at the edge of its LTV, fresh
         * liquidity for it, then the appraisal falls 30 %: whatever the random steps left, at least
         * that account is liquidatable.
         */
        void crashAndLiquidate() throws Exception {
            admin.send(
                    usd(),
                    "mint",
                    addr(admin.address()),
                    uint(USDC.multiply(BigInteger.valueOf(5_000_000))));
            admin.send(usd(), "approve", addr(market.pool()), uint(MAX));
            supply(admin, usd(), USDC.multiply(BigInteger.valueOf(5_000_000)));
            supply(edge, property(), TOKEN.multiply(BigInteger.valueOf(2_000)));
            // An isolated asset is not made collateral by a supply (this Aave version leaves that
            // to holders of ISOLATED_COLLATERAL_SUPPLIER_ROLE); the account switches it on itself.
            edge.send(
                    market.pool(),
                    "setUserUseReserveAsCollateral",
                    addr(property()),
                    new Bool(true));
            borrowAll(edge);
            checkEverything();
            movePropertyPrice(700);
            checkEverything();
            liquidateAnyone();
        }

        private void liquidateAnyone() throws Exception {
            List<ChainWriter> borrowers = new ArrayList<>(actors);
            borrowers.add(edge);
            for (ChainWriter who : borrowers) {
                AccountData data = chainAccountData(who.address(), null);
                if (data.healthFactor().compareTo(ONE_WAD) >= 0) {
                    continue;
                }
                // Seize the property token when the account holds it, else the stablecoin.
                String collateral =
                        balance(aToken(property()), who.address()).signum() > 0
                                ? property()
                                : usd();
                BigInteger debtToCover = random.nextBoolean() ? MAX : randomAmount(USDC, 5_000);
                try {
                    liquidator.send(
                            market.pool(),
                            "liquidationCall",
                            addr(collateral),
                            addr(usd()),
                            addr(who.address()),
                            uint(debtToCover),
                            new Bool(random.nextBoolean()));
                    liquidations++;
                } catch (IllegalStateException revert) {
                    reverted++;
                }
                checkEverything();
            }
        }

        private void borrowPartOfAvailable(ChainWriter who) throws Exception {
            BigInteger available = chainAccountData(who.address(), null).availableBorrowsBase();
            // Base units have 8 decimals and the stablecoin is worth $1.00: 6 decimals are / 100.
            BigInteger amount =
                    available
                            .multiply(BigInteger.valueOf(100 + random.nextInt(890)))
                            .divide(BigInteger.valueOf(100_000));
            if (amount.signum() == 0) {
                reverted++;
                return;
            }
            who.send(
                    market.pool(),
                    "borrow",
                    addr(usd()),
                    uint(amount),
                    uint(2),
                    new Uint16(0),
                    addr(who.address()));
        }

        private void borrowAll(ChainWriter who) throws Exception {
            BigInteger available = chainAccountData(who.address(), null).availableBorrowsBase();
            BigInteger amount =
                    available.multiply(BigInteger.valueOf(995)).divide(BigInteger.valueOf(100_000));
            if (amount.signum() > 0) {
                who.send(
                        market.pool(),
                        "borrow",
                        addr(usd()),
                        uint(amount),
                        uint(2),
                        new Uint16(0),
                        addr(who.address()));
            }
        }

        private void movePropertyPrice(int permille) throws Exception {
            propertyPrice =
                    propertyPrice
                            .multiply(BigInteger.valueOf(permille))
                            .divide(BigInteger.valueOf(1_000));
            AaveLocalMarket.setPrice(admin, market, property(), propertyPrice);
        }

        private void supply(ChainWriter who, String asset, BigInteger amount) throws Exception {
            who.send(
                    market.pool(),
                    "supply",
                    addr(asset),
                    uint(amount),
                    addr(who.address()),
                    new Uint16(0));
        }

        /** Brings the book to the head and compares every account and both reserves there. */
        void checkEverything() throws Exception {
            long head = logs.head();
            for (AaveLog log : logs.between(applied + 1, head)) {
                seen.add(log.signature());
                // Only the topics a follower would ask for: the list must be complete.
                if (AaveEvents.ALL.contains(log.signature())) {
                    book.apply(log);
                }
            }
            applied = head;
            long timestamp = logs.timestamp(head);
            BigInteger block = BigInteger.valueOf(head);
            // Every account the history uses and every account the book knows.
            java.util.Set<Address> accounts = new java.util.TreeSet<>(book.accounts());
            java.util.List<java.util.Map<Address, AccountData>> poolBelow = new ArrayList<>();
            java.util.List<AaveHealthIndex.Step> indexBelow = new ArrayList<>();
            for (AaveHealthIndex index : indexes) {
                indexBelow.add(index.step(book, timestamp));
                poolBelow.add(new java.util.TreeMap<>());
            }
            accounts.add(Address.of(admin.address())); // the treasury
            actors.forEach(a -> accounts.add(Address.of(a.address())));
            accounts.add(Address.of(liquidator.address()));
            accounts.add(Address.of(edge.address()));
            for (Address account : accounts) {
                AccountData chain = chainAccountData(account.hex(), block);
                AccountData mine = book.accountData(account, timestamp);
                assertThat(mine)
                        .as("account data of %s at block %d", account, head)
                        .isEqualTo(chain);
                for (int i = 0; i < indexes.size(); i++) {
                    if (chain.healthFactor().compareTo(indexes.get(i).threshold()) < 0) {
                        poolBelow.get(i).put(account, chain);
                    }
                }
                // Also what the account data does not show: the bits, and balances that are not
                // collateral.
                assertThat(book.userConfiguration(account))
                        .as("user configuration of %s at block %d", account, head)
                        .isEqualTo(
                                uintCall(
                                        market.pool(),
                                        "getUserConfiguration",
                                        account.hex(),
                                        block));
                for (String asset : List.of(usd(), property())) {
                    var position =
                            book.positions(account)
                                    .getOrDefault(Address.of(asset), AaveUserReserve.EMPTY);
                    var reserve = book.reserveOf(Address.of(asset));
                    assertThat(position.scaledATokenBalance())
                            .as(
                                    "scaled aToken balance of %s in %s at block %d",
                                    account, asset, head)
                            .isEqualTo(
                                    uintCall(
                                            reserve.aToken().hex(),
                                            "scaledBalanceOf",
                                            account.hex(),
                                            block));
                    assertThat(position.scaledVariableDebt())
                            .as(
                                    "scaled variable debt of %s in %s at block %d",
                                    account, asset, head)
                            .isEqualTo(
                                    uintCall(
                                            reserve.variableDebtToken().hex(),
                                            "scaledBalanceOf",
                                            account.hex(),
                                            block));
                }
                checks++;
            }
            for (int i = 0; i < indexes.size(); i++) {
                assertThat(indexBelow.get(i).below())
                        .as(
                                "accounts below %s by the index at block %d",
                                indexes.get(i).threshold(), head)
                        .isEqualTo(poolBelow.get(i));
                indexValued += indexBelow.get(i).valued();
            }
            belowSeen += poolBelow.get(0).size();
            for (String asset : List.of(usd(), property())) {
                var reserve = book.reserveOf(Address.of(asset));
                assertThat(reserve.configuration().data())
                        .as("configuration of %s at block %d", asset, head)
                        .isEqualTo(uintCall(market.pool(), "getConfiguration", asset, block));
                assertThat(reserve.normalizedIncome(timestamp))
                        .as("normalized income of %s at block %d", asset, head)
                        .isEqualTo(
                                uintCall(
                                        market.pool(), "getReserveNormalizedIncome", asset, block));
                assertThat(reserve.normalizedDebt(timestamp))
                        .as("normalized debt of %s at block %d", asset, head)
                        .isEqualTo(
                                uintCall(
                                        market.pool(),
                                        "getReserveNormalizedVariableDebt",
                                        asset,
                                        block));
            }
        }

        AccountData chainAccountData(String account, BigInteger block) throws Exception {
            return AaveLocalMarket.accountData(admin, market, account, block);
        }

        BigInteger uintCall(String to, String function, String arg, BigInteger block)
                throws Exception {
            return admin.uintView(to, function, arg, block);
        }

        BigInteger balance(String token, String account) throws Exception {
            return uintCall(token, "balanceOf", account, null);
        }

        BigInteger fractionOf(BigInteger balance) {
            return balance.multiply(BigInteger.valueOf(1 + random.nextInt(1_000)))
                    .divide(BigInteger.valueOf(1_000));
        }

        /** Up to {@code whole} units with random wei below, so every rounding path is taken. */
        BigInteger randomAmount(BigInteger unit, int whole) {
            return unit.multiply(BigInteger.valueOf(1 + random.nextInt(whole)))
                    .add(new BigInteger(unit.bitLength() - 1, random));
        }

        void rpc(String method, Object... params) throws Exception {
            rpcResult(method, params);
        }

        Object rpcResult(String method, Object... params) throws Exception {
            Raw answer = new Request<>(method, List.of(params), rpc, Raw.class).send();
            if (answer.hasError()) {
                throw new IllegalStateException(method + ": " + answer.getError().getMessage());
            }
            return answer.getResult();
        }

        String usd() {
            return market.stablecoin().asset();
        }

        String property() {
            return market.propertyToken().asset();
        }

        String aToken(String asset) {
            return asset.equals(usd())
                    ? market.stablecoin().aToken()
                    : market.propertyToken().aToken();
        }
    }

    static org.web3j.abi.datatypes.Address addr(String address) {
        return new org.web3j.abi.datatypes.Address(address);
    }

    static Uint256 uint(BigInteger value) {
        return new Uint256(value);
    }

    static Uint256 uint(long value) {
        return new Uint256(value);
    }

    /** Any JSON-RPC answer (anvil's evm_* methods). */
    public static final class Raw extends Response<Object> {}
}
