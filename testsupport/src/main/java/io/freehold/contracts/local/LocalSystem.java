package io.freehold.contracts.local;

import io.freehold.contracts.bindings.Deployment;
import io.freehold.contracts.generated.AppraisalOracle;
import io.freehold.contracts.generated.DutchAuction;
import io.freehold.contracts.generated.IdentityRegistry;
import io.freehold.contracts.generated.LendingPool;
import io.freehold.contracts.generated.MockStablecoin;
import io.freehold.contracts.generated.PropertyToken;
import java.math.BigInteger;
import java.util.List;
import java.util.TreeMap;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.tx.TransactionManager;
import org.web3j.tx.gas.ContractGasProvider;
import org.web3j.tx.gas.StaticGasProvider;
import org.web3j.utils.Numeric;

/**
 * Deploys the same local system as {@code script/DeployLocal.s.sol}, through the generated web3j
 * wrappers, so Java tests get a complete Freehold on any anvil without leaving the JVM.
 *
 * <p>Accounts: 0 admin (pool owner, issuer, agent, appraiser), 1 lender, 2 borrower, 3 liquidator.
 * The lender supplies 500,000 mUSD to every market; the borrower locks 400 tokens of the first
 * property and borrows 12,000 mUSD. A {@code DutchAuction} is deployed last (its address in {@link
 * Deployment#dutchAuction()}); {@link Options#withAuctionMarket()} also lists {@link
 * #AUCTION_PROPERTY}, a fourth market that sells collateral by auction after a cure window (off by
 * default: the other modules' tests expect the three fixed-incentive markets).
 *
 * <pre>{@code
 * try (Anvil anvil = Anvil.start()) {
 *     Deployment d = LocalSystem.deploy(anvil);
 *     LendingPool pool = LocalSystem.pool(anvil, d, anvil.credentials(0));
 *     var position = pool.position(Numeric.hexStringToByteArray(d.market("FH-DET-0412").id()),
 *             d.accounts().borrower()).send();
 * }
 * }</pre>
 */
public final class LocalSystem {

    /** A property listed by the local system, appraised in US cents per whole token. */
    public record Property(
            String id, String name, String symbol, String regionCode, long priceCents) {}

    /** The properties of the local system, the same as the deploy script's. */
    public static final List<Property> PROPERTIES =
            List.of(
                    new Property(
                            "FH-DET-0412",
                            "4-plex, 0412 Linden Row, Detroit",
                            "FHDET0412",
                            "US-MI",
                            5_240),
                    new Property(
                            "FH-CLE-1177",
                            "Duplex, 1177 Orchard Lane, Cleveland",
                            "FHCLE1177",
                            "US-OH",
                            4_810),
                    new Property(
                            "FH-MEM-2290",
                            "Single family, 2290 Cedar Bend, Memphis",
                            "FHMEM2290",
                            "US-TN",
                            6_175));

    /** The property of the auction market ({@link Options#withAuctionMarket()}). */
    public static final Property AUCTION_PROPERTY =
            new Property(
                    "FH-PIT-0318",
                    "Duplex, 0318 Larch Way, Pittsburgh",
                    "FHPIT0318",
                    "US-PA",
                    5_560);

    /** The auction market's cure window: 1 day, none under health 0.9. */
    public static final long AUCTION_CURE_WINDOW_SECONDS = 24 * 3600;

    /** What the local system deploys beyond the three fixed-incentive markets. */
    public record Options(boolean auctionMarket) {
        /** The three fixed-incentive markets only. */
        public static Options defaults() {
            return new Options(false);
        }

        /** Also {@link #AUCTION_PROPERTY}'s auction market, funded with 500,000 mUSD. */
        public static Options withAuctionMarket() {
            return new Options(true);
        }
    }

    /** 1e18: LTVs and rates. */
    public static final BigInteger WAD = BigInteger.TEN.pow(18);

    /** 1 mUSD in base units (6 decimals). */
    public static final BigInteger USD = BigInteger.TEN.pow(6);

    /** One whole property token in base units (18 decimals). */
    public static final BigInteger TOKEN = BigInteger.TEN.pow(18);

    /** Generous fixed gas: anvil's base fee starts at 1 gwei and blocks hold 30M gas. */
    public static final ContractGasProvider GAS =
            new StaticGasProvider(
                    BigInteger.valueOf(5_000_000_000L), BigInteger.valueOf(8_000_000));

    private static final BigInteger LLTV = wad("0.75");
    private static final BigInteger MAX_LTV = wad("0.65");
    private static final long MAX_AGE_SECONDS = 30L * 24 * 3600;
    private static final long MAX_MOVE_BPS = 1_000;

    private LocalSystem() {}

    /** Deploys everything on {@code anvil} with its dev accounts and returns where it lives. */
    public static Deployment deploy(Anvil anvil) throws Exception {
        return deploy(anvil, Options.defaults());
    }

    /** Deploys the local system with {@code options}. */
    public static Deployment deploy(Anvil anvil, Options options) throws Exception {
        Web3j web3j = anvil.web3j();
        Credentials admin = anvil.credentials(0);
        Credentials lender = anvil.credentials(1);
        Credentials borrower = anvil.credentials(2);
        Credentials liquidator = anvil.credentials(3);
        long startBlock = web3j.ethBlockNumber().send().getBlockNumber().longValueExact();
        var asAdmin = anvil.transactionManager(admin);

        IdentityRegistry registry =
                IdentityRegistry.deploy(web3j, asAdmin, GAS, admin.getAddress()).send();
        MockStablecoin usd = MockStablecoin.deploy(web3j, asAdmin, GAS).send();
        AppraisalOracle oracle =
                AppraisalOracle.deploy(web3j, asAdmin, GAS, admin.getAddress()).send();
        LendingPool pool = LendingPool.deploy(web3j, asAdmin, GAS, admin.getAddress()).send();
        registry.verifyBatch(
                        List.of(
                                admin.getAddress(),
                                lender.getAddress(),
                                borrower.getAddress(),
                                liquidator.getAddress(),
                                pool.getContractAddress()))
                .send();
        usd.mint(lender.getAddress(), usd(3_000_000)).send();
        usd.mint(liquidator.getAddress(), usd(250_000)).send();
        usd.mint(admin.getAddress(), usd(100_000)).send();

        var markets = new TreeMap<String, Deployment.MarketEntry>();
        for (Property property : PROPERTIES) {
            PropertyToken token =
                    issueProperty(web3j, asAdmin, property, registry, usd, oracle, admin, borrower);
            String t = token.getContractAddress();
            pool.createMarket(
                            marketParams(
                                    pool, t, usd.getContractAddress(), oracle.getContractAddress()))
                    .send();
            byte[] id = pool.marketId(t, usd.getContractAddress()).send();
            markets.put(
                    property.id(),
                    new Deployment.MarketEntry(
                            Numeric.toHexString(id), property.name(), t, property.regionCode()));
        }

        var asLender = anvil.transactionManager(lender);
        MockStablecoin lenderUsd =
                MockStablecoin.load(usd.getContractAddress(), web3j, asLender, GAS);
        LendingPool lenderPool = LendingPool.load(pool.getContractAddress(), web3j, asLender, GAS);
        for (Deployment.MarketEntry market : markets.values()) {
            lenderUsd.approve(pool.getContractAddress(), usd(500_000)).send();
            lenderPool
                    .supply(
                            Numeric.hexStringToByteArray(market.id()),
                            usd(500_000),
                            lender.getAddress())
                    .send();
        }

        var asBorrower = anvil.transactionManager(borrower);
        Deployment.MarketEntry first = markets.get(PROPERTIES.get(0).id());
        byte[] firstId = Numeric.hexStringToByteArray(first.id());
        PropertyToken.load(first.propertyToken(), web3j, asBorrower, GAS)
                .approve(pool.getContractAddress(), tokens(400))
                .send();
        LendingPool borrowerPool =
                LendingPool.load(pool.getContractAddress(), web3j, asBorrower, GAS);
        borrowerPool.supplyCollateral(firstId, tokens(400), borrower.getAddress()).send();
        borrowerPool.borrow(firstId, usd(12_000), borrower.getAddress()).send();

        // Last, so every address above stays what it was before auctions existed.
        DutchAuction auction =
                DutchAuction.deploy(web3j, asAdmin, GAS, pool.getContractAddress()).send();
        if (options.auctionMarket()) {
            PropertyToken token =
                    issueProperty(
                            web3j,
                            asAdmin,
                            AUCTION_PROPERTY,
                            registry,
                            usd,
                            oracle,
                            admin,
                            borrower);
            String t = token.getContractAddress();
            pool.createMarketWithTerms(
                            marketParams(
                                    pool, t, usd.getContractAddress(), oracle.getContractAddress()),
                            new LendingPool.LiquidationTerms(
                                    auction.getContractAddress(),
                                    BigInteger.valueOf(AUCTION_CURE_WINDOW_SECONDS),
                                    wad("0.9")),
                            auctionParams())
                    .send();
            byte[] id = pool.marketId(t, usd.getContractAddress()).send();
            lenderUsd.approve(pool.getContractAddress(), usd(500_000)).send();
            lenderPool.supply(id, usd(500_000), lender.getAddress()).send();
            markets.put(
                    AUCTION_PROPERTY.id(),
                    new Deployment.MarketEntry(
                            Numeric.toHexString(id),
                            AUCTION_PROPERTY.name(),
                            t,
                            AUCTION_PROPERTY.regionCode()));
        }

        return new Deployment(
                anvil.chainId(),
                startBlock,
                registry.getContractAddress(),
                usd.getContractAddress(),
                oracle.getContractAddress(),
                pool.getContractAddress(),
                new Deployment.Accounts(
                        admin.getAddress(),
                        lender.getAddress(),
                        borrower.getAddress(),
                        liquidator.getAddress()),
                markets,
                auction.getContractAddress());
    }

    /**
     * The auction market's parameters (the same as the deploy script's): from 120% of the appraisal
     * to 60% over 6 hours, 5% penalty, keeper 5 mUSD + 0.1% of the debt up to 250 mUSD, 3 paid
     * restarts.
     */
    public static LendingPool.AuctionParams auctionParams() {
        return new LendingPool.AuctionParams(
                wad("1.2"),
                wad("0.6"),
                BigInteger.valueOf(6 * 3600),
                wad("0.05"),
                usd(5),
                wad("0.001"),
                usd(250),
                BigInteger.valueOf(3));
    }

    /** The auction of {@code deployment}, sending as {@code sender}. */
    public static DutchAuction auction(Anvil anvil, Deployment deployment, Credentials sender) {
        return DutchAuction.load(
                deployment.dutchAuction(), anvil.web3j(), anvil.transactionManager(sender), GAS);
    }

    /** Deploys {@code property}'s token, mints its holdings and gives it its first appraisal. */
    private static PropertyToken issueProperty(
            Web3j web3j,
            TransactionManager asAdmin,
            Property property,
            IdentityRegistry registry,
            MockStablecoin usd,
            AppraisalOracle oracle,
            Credentials admin,
            Credentials borrower)
            throws Exception {
        PropertyToken token =
                PropertyToken.deploy(
                                web3j,
                                asAdmin,
                                GAS,
                                property.id(),
                                property.name(),
                                property.symbol(),
                                property.regionCode(),
                                registry.getContractAddress(),
                                usd.getContractAddress(),
                                admin.getAddress())
                        .send();
        token.mint(borrower.getAddress(), tokens(1_000)).send();
        token.mint(admin.getAddress(), tokens(9_000)).send();
        String t = token.getContractAddress();
        oracle.configureFeed(
                        t, BigInteger.valueOf(MAX_AGE_SECONDS), BigInteger.valueOf(MAX_MOVE_BPS))
                .send();
        oracle.setAppraiser(t, admin.getAddress(), true).send();
        oracle.forceAppraisal(t, priceOfCents(property.priceCents()), "initial appraisal").send();
        return token;
    }

    /** The pool of {@code deployment}, sending as {@code sender}. */
    public static LendingPool pool(Anvil anvil, Deployment deployment, Credentials sender) {
        return LendingPool.load(
                deployment.lendingPool(), anvil.web3j(), anvil.transactionManager(sender), GAS);
    }

    /** The market parameters the local system uses for every property. */
    static LendingPool.MarketParams marketParams(
            LendingPool pool, String token, String usd, String oracle) throws Exception {
        return new LendingPool.MarketParams(
                token,
                usd,
                oracle,
                LLTV,
                MAX_LTV,
                pool.maxLiquidationIncentive(LLTV).send(),
                wad("0.02"),
                wad("0.06"),
                wad("0.80"),
                wad("0.80"),
                BigInteger.ZERO,
                BigInteger.ZERO,
                usd(10));
    }

    /**
     * The oracle price of a property token appraised at {@code cents} US cents per whole token:
     * mUSD base units per token base unit, times 1e36 (the oracle's PRICE_SCALE).
     */
    public static BigInteger priceOfCents(long cents) {
        // cents * 1e4 = 6-decimal base units per whole token; * 1e36 / 1e18 = * 1e18.
        return BigInteger.valueOf(cents).multiply(BigInteger.TEN.pow(4)).multiply(WAD);
    }

    public static BigInteger usd(long whole) {
        return BigInteger.valueOf(whole).multiply(USD);
    }

    public static BigInteger tokens(long whole) {
        return BigInteger.valueOf(whole).multiply(TOKEN);
    }

    private static BigInteger wad(String decimal) {
        return new java.math.BigDecimal(decimal)
                .multiply(new java.math.BigDecimal(WAD))
                .toBigIntegerExact();
    }
}
