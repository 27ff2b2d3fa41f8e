package io.freehold.aave.local;

import io.freehold.contracts.local.Anvil;
import io.freehold.contracts.math.aave.AaveEvents;
import io.freehold.contracts.math.aave.AccountData;
import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.Bool;
import org.web3j.abi.datatypes.DynamicArray;
import org.web3j.abi.datatypes.DynamicBytes;
import org.web3j.abi.datatypes.DynamicStruct;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.Utf8String;
import org.web3j.abi.datatypes.generated.Int256;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.abi.datatypes.generated.Uint8;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/**
 * Deploys a local Aave v3 market (the contracts of {@code @aave/core-v3} 1.19.3, as compiled by
 * Aave: no compiler here) on an anvil, with RealT RMM-like parameters: a stablecoin reserve to
 * supply and borrow, and a property-token stand-in as collateral at 70 % LTV, 75 % liquidation
 * threshold and a 10 % bonus. Prices come from Aave's {@code MockAggregator}s behind an {@code
 * AaveOracle} in USD with 8 decimals; {@link #setPrice} moves one by pointing the oracle at a new
 * aggregator, so every move is a log ({@code AnswerUpdated}, {@code AssetSourceUpdated}).
 *
 * <pre>{@code
 * try (Anvil anvil = Anvil.start()) {
 *     AaveMarket market = AaveLocalMarket.deploy(anvil);
 * }
 * }</pre>
 *
 * <p>Account 0 deploys and administers (pool admin, treasury); nothing is minted or supplied.
 */
public final class AaveLocalMarket {

    /** The AaveOracle's base currency: USD (address 0) with 8 decimals, as Chainlink's feeds. */
    public static final BigInteger BASE_CURRENCY_UNIT = BigInteger.TEN.pow(8);

    /** The property stand-in's first price: $52.40 a token. */
    public static final BigInteger PROPERTY_PRICE = BigInteger.valueOf(5_240_000_000L);

    /** RMM's RealToken parameters, in basis points. */
    public static final int PROPERTY_LTV = 7_000;

    public static final int PROPERTY_LIQUIDATION_THRESHOLD = 7_500;
    public static final int PROPERTY_LIQUIDATION_BONUS = 11_000;

    /** The stablecoin is collateral too (RMM's stablecoins are), so accounts mix collaterals. */
    public static final int STABLECOIN_LTV = 8_000;

    public static final int STABLECOIN_LIQUIDATION_THRESHOLD = 8_500;
    public static final int STABLECOIN_LIQUIDATION_BONUS = 10_500;
    public static final int STABLECOIN_RESERVE_FACTOR = 1_000;

    private static final BigInteger RAY = BigInteger.TEN.pow(27);

    /** The seven libraries the Pool calls; FlashLoanLogic itself calls BorrowLogic. */
    private static final List<String> POOL_LIBRARIES =
            List.of(
                    "BorrowLogic",
                    "SupplyLogic",
                    "LiquidationLogic",
                    "EModeLogic",
                    "BridgeLogic",
                    "PoolLogic",
                    "FlashLoanLogic");

    /** Every artifact the deployment reads (the cache's key hashes them). */
    static final List<String> ARTIFACTS =
            List.of(
                    "protocol/configuration/PoolAddressesProvider.sol/PoolAddressesProvider",
                    "protocol/configuration/ACLManager.sol/ACLManager",
                    "protocol/libraries/logic/BorrowLogic.sol/BorrowLogic",
                    "protocol/libraries/logic/SupplyLogic.sol/SupplyLogic",
                    "protocol/libraries/logic/LiquidationLogic.sol/LiquidationLogic",
                    "protocol/libraries/logic/EModeLogic.sol/EModeLogic",
                    "protocol/libraries/logic/BridgeLogic.sol/BridgeLogic",
                    "protocol/libraries/logic/PoolLogic.sol/PoolLogic",
                    "protocol/libraries/logic/FlashLoanLogic.sol/FlashLoanLogic",
                    "protocol/libraries/logic/ConfiguratorLogic.sol/ConfiguratorLogic",
                    "protocol/pool/Pool.sol/Pool",
                    "protocol/pool/PoolConfigurator.sol/PoolConfigurator",
                    "protocol/pool/DefaultReserveInterestRateStrategy.sol/DefaultReserveInterestRateStrategy",
                    "protocol/tokenization/AToken.sol/AToken",
                    "protocol/tokenization/StableDebtToken.sol/StableDebtToken",
                    "protocol/tokenization/VariableDebtToken.sol/VariableDebtToken",
                    "misc/AaveOracle.sol/AaveOracle",
                    "misc/AaveProtocolDataProvider.sol/AaveProtocolDataProvider",
                    "mocks/tokens/MintableERC20.sol/MintableERC20",
                    "mocks/oracle/CLAggregators/MockAggregator.sol/MockAggregator");

    private AaveLocalMarket() {}

    /** Deploys the market with anvil's account 0. */
    public static AaveMarket deploy(Anvil anvil) throws IOException {
        return deploy(anvil, null);
    }

    /**
     * Deploys the market with anvil's account 0, its property reserve on {@code propertyToken} (an
     * 18-decimal ERC-20 deployed beforehand, e.g. Freehold's permissioned {@code PropertyToken})
     * instead of a freely minted stand-in; null deploys the stand-in. A permissioned token's rules
     * then hold in the pool: its aToken must be allowed to hold it before anyone supplies, and a
     * liquidator to receive it. Not cached ({@link AaveMarketCache} keeps the stand-in's market).
     */
    public static AaveMarket deploy(Anvil anvil, String propertyToken) throws IOException {
        Credentials admin = anvil.credentials(0);
        ChainWriter as = new ChainWriter(anvil, admin);
        String me = admin.getAddress();
        long startBlock = anvil.web3j().ethBlockNumber().send().getBlockNumber().longValueExact();

        String provider =
                deploy(
                        as,
                        "protocol/configuration/PoolAddressesProvider.sol/PoolAddressesProvider",
                        new Utf8String("Freehold local RMM"),
                        new Address(me));
        as.send(provider, "setACLAdmin", new Address(me));
        String acl =
                deploy(
                        as,
                        "protocol/configuration/ACLManager.sol/ACLManager",
                        new Address(provider));
        as.send(provider, "setACLManager", new Address(acl));
        as.send(acl, "addPoolAdmin", new Address(me));

        Map<String, String> libraries = new HashMap<>();
        for (String library : POOL_LIBRARIES) {
            libraries.put(
                    library,
                    deployLinked(
                            as,
                            "protocol/libraries/logic/" + library + ".sol/" + library,
                            libraries));
        }
        String poolImpl =
                deployLinked(as, "protocol/pool/Pool.sol/Pool", libraries, new Address(provider));
        as.send(provider, "setPoolImpl", new Address(poolImpl));
        String pool = providerAddress(as, provider, "getPool");

        libraries.put(
                "ConfiguratorLogic",
                deployLinked(
                        as,
                        "protocol/libraries/logic/ConfiguratorLogic.sol/ConfiguratorLogic",
                        libraries));
        String configuratorImpl =
                deployLinked(as, "protocol/pool/PoolConfigurator.sol/PoolConfigurator", libraries);
        as.send(provider, "setPoolConfiguratorImpl", new Address(configuratorImpl));
        String configurator = providerAddress(as, provider, "getPoolConfigurator");

        String usd =
                deploy(
                        as,
                        "mocks/tokens/MintableERC20.sol/MintableERC20",
                        new Utf8String("USD Coin (local)"),
                        new Utf8String("USDC"),
                        new Uint8(6));
        String property =
                propertyToken != null
                        ? propertyToken
                        : deploy(
                                as,
                                "mocks/tokens/MintableERC20.sol/MintableERC20",
                                new Utf8String("RealToken stand-in 0412 Linden Row"),
                                new Utf8String("REALT-0412"),
                                new Uint8(18));
        String usdFeed = aggregator(as, BASE_CURRENCY_UNIT);
        String propertyFeed = aggregator(as, PROPERTY_PRICE);
        String oracle =
                deploy(
                        as,
                        "misc/AaveOracle.sol/AaveOracle",
                        new Address(provider),
                        new DynamicArray<>(Address.class, new Address(usd), new Address(property)),
                        new DynamicArray<>(
                                Address.class, new Address(usdFeed), new Address(propertyFeed)),
                        new Address(Address.DEFAULT.getValue()),
                        new Address(Address.DEFAULT.getValue()),
                        new Uint256(BASE_CURRENCY_UNIT));
        as.send(provider, "setPriceOracle", new Address(oracle));
        String dataProvider =
                deploy(
                        as,
                        "misc/AaveProtocolDataProvider.sol/AaveProtocolDataProvider",
                        new Address(provider));
        as.send(provider, "setPoolDataProvider", new Address(dataProvider));

        String aTokenImpl =
                deploy(as, "protocol/tokenization/AToken.sol/AToken", new Address(pool));
        String stableImpl =
                deploy(
                        as,
                        "protocol/tokenization/StableDebtToken.sol/StableDebtToken",
                        new Address(pool));
        String variableImpl =
                deploy(
                        as,
                        "protocol/tokenization/VariableDebtToken.sol/VariableDebtToken",
                        new Address(pool));
        // Utilization-kinked variable rate: 0 % at rest, 4 % at the 90 % kink, 64 % at full use.
        String strategy =
                deploy(
                        as,
                        "protocol/pool/DefaultReserveInterestRateStrategy.sol/DefaultReserveInterestRateStrategy",
                        new Address(provider),
                        ray("0.9"),
                        ray("0"),
                        ray("0.04"),
                        ray("0.6"),
                        ray("0"),
                        ray("0"),
                        ray("0"),
                        ray("0"),
                        ray("0"));

        TransactionReceipt init =
                as.send(
                        configurator,
                        "initReserves",
                        new DynamicArray<>(
                                DynamicStruct.class,
                                reserveInput(
                                        aTokenImpl,
                                        stableImpl,
                                        variableImpl,
                                        6,
                                        strategy,
                                        usd,
                                        me,
                                        "USDC"),
                                reserveInput(
                                        aTokenImpl,
                                        stableImpl,
                                        variableImpl,
                                        18,
                                        strategy,
                                        property,
                                        me,
                                        "REALT-0412")));
        Map<String, String[]> tokens = reserveTokens(init);

        as.send(
                configurator,
                "configureReserveAsCollateral",
                new Address(property),
                new Uint256(PROPERTY_LTV),
                new Uint256(PROPERTY_LIQUIDATION_THRESHOLD),
                new Uint256(PROPERTY_LIQUIDATION_BONUS));
        as.send(
                configurator,
                "configureReserveAsCollateral",
                new Address(usd),
                new Uint256(STABLECOIN_LTV),
                new Uint256(STABLECOIN_LIQUIDATION_THRESHOLD),
                new Uint256(STABLECOIN_LIQUIDATION_BONUS));
        as.send(configurator, "setReserveBorrowing", new Address(usd), new Bool(true));
        as.send(
                configurator,
                "setReserveFactor",
                new Address(usd),
                new Uint256(STABLECOIN_RESERVE_FACTOR));

        String[] u = tokens.get(usd.toLowerCase());
        String[] p = tokens.get(property.toLowerCase());
        return new AaveMarket(
                anvil.chainId(),
                startBlock,
                provider,
                acl,
                pool,
                configurator,
                oracle,
                dataProvider,
                me,
                new AaveMarket.Reserve("USDC", 6, usd, u[0], u[1], u[2], usdFeed),
                new AaveMarket.Reserve("REALT-0412", 18, property, p[0], p[1], p[2], propertyFeed));
    }

    /**
     * {@code Pool.getUserAccountData(account)} at {@code block}, read by {@code reader}: the six
     * figures an exact book of this market must equal.
     */
    @SuppressWarnings("rawtypes")
    public static AccountData accountData(
            ChainWriter reader, AaveMarket market, String account, BigInteger block)
            throws IOException {
        List<TypeReference<?>> six = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            six.add(new TypeReference<Uint256>() {});
        }
        List<Type> out =
                reader.call(
                        market.pool(),
                        "getUserAccountData",
                        List.of(new Address(account)),
                        six,
                        block);
        return new AccountData(
                (BigInteger) out.get(0).getValue(),
                (BigInteger) out.get(1).getValue(),
                (BigInteger) out.get(2).getValue(),
                (BigInteger) out.get(3).getValue(),
                (BigInteger) out.get(4).getValue(),
                (BigInteger) out.get(5).getValue());
    }

    /**
     * Moves {@code asset}'s price to {@code price} (base currency units, 8 decimals): a new
     * MockAggregator answering it, and the oracle pointed at it.
     *
     * @return the new aggregator
     */
    public static String setPrice(
            ChainWriter admin, AaveMarket market, String asset, BigInteger price)
            throws IOException {
        String feed = aggregator(admin, price);
        admin.send(
                market.oracle(),
                "setAssetSources",
                new DynamicArray<>(Address.class, new Address(asset)),
                new DynamicArray<>(Address.class, new Address(feed)));
        return feed;
    }

    private static String aggregator(ChainWriter as, BigInteger answer) throws IOException {
        return deploy(
                as,
                "mocks/oracle/CLAggregators/MockAggregator.sol/MockAggregator",
                new Int256(answer));
    }

    private static DynamicStruct reserveInput(
            String aTokenImpl,
            String stableImpl,
            String variableImpl,
            int decimals,
            String strategy,
            String asset,
            String treasury,
            String symbol) {
        return new DynamicStruct(
                new Address(aTokenImpl),
                new Address(stableImpl),
                new Address(variableImpl),
                new Uint8(decimals),
                new Address(strategy),
                new Address(asset),
                new Address(treasury),
                new Address(Address.DEFAULT.getValue()), // no incentives controller
                new Utf8String("Aave local " + symbol),
                new Utf8String("a" + symbol),
                new Utf8String("Aave local variable debt " + symbol),
                new Utf8String("variableDebt" + symbol),
                new Utf8String("Aave local stable debt " + symbol),
                new Utf8String("stableDebt" + symbol),
                new DynamicBytes(new byte[0]));
    }

    /** asset (lowercase) to {aToken, stable debt token, variable debt token}, from the receipt. */
    private static Map<String, String[]> reserveTokens(TransactionReceipt init) {
        Map<String, String[]> tokens = new HashMap<>();
        for (Log log : init.getLogs()) {
            if (log.getTopics().get(0).equals(AaveEvents.RESERVE_INITIALIZED)) {
                String data = log.getData().substring(2);
                tokens.put(
                        topicAddress(log.getTopics().get(1)),
                        new String[] {
                            topicAddress(log.getTopics().get(2)),
                            "0x" + data.substring(24, 64),
                            "0x" + data.substring(64 + 24, 128)
                        });
            }
        }
        return tokens;
    }

    private static String topicAddress(String topic) {
        return "0x" + topic.substring(26);
    }

    private static String providerAddress(ChainWriter as, String provider, String getter)
            throws IOException {
        @SuppressWarnings("rawtypes")
        List<Type> out =
                as.call(
                        provider,
                        getter,
                        List.of(),
                        List.of(new org.web3j.abi.TypeReference<Address>() {}),
                        null);
        return ((Address) out.get(0)).getValue();
    }

    private static String deploy(ChainWriter as, String artifact, Type<?>... args)
            throws IOException {
        return deployLinked(as, artifact, Map.of(), args);
    }

    private static String deployLinked(
            ChainWriter as, String artifact, Map<String, String> libraries, Type<?>... args)
            throws IOException {
        AaveArtifact a = AaveArtifact.load(artifact);
        return as.deploy(a.name(), a.linkedBytecode(libraries), args);
    }

    private static Uint256 ray(String decimal) {
        return new Uint256(
                new java.math.BigDecimal(decimal)
                        .multiply(new java.math.BigDecimal(RAY))
                        .toBigIntegerExact());
    }
}
