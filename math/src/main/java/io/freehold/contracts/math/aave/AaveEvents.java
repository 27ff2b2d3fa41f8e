package io.freehold.contracts.math.aave;

import io.freehold.types.Hex;
import io.freehold.types.Keccak256;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Topic 0 of each Aave v3 event the book reads, from its Solidity signature (the layouts are those
 * of {@code @aave/core-v3} 1.19.x's interfaces; the differential test against the real contracts is
 * what holds them true).
 */
public final class AaveEvents {

    // Pool
    public static final String RESERVE_DATA_UPDATED =
            topic("ReserveDataUpdated(address,uint256,uint256,uint256,uint256,uint256)");
    public static final String COLLATERAL_ENABLED =
            topic("ReserveUsedAsCollateralEnabled(address,address)");
    public static final String COLLATERAL_DISABLED =
            topic("ReserveUsedAsCollateralDisabled(address,address)");
    public static final String BORROW =
            topic("Borrow(address,address,address,uint256,uint8,uint256,uint16)");
    public static final String USER_EMODE_SET = topic("UserEModeSet(address,uint8)");
    public static final String SWAP_BORROW_RATE_MODE =
            topic("SwapBorrowRateMode(address,address,uint8)");
    public static final String REBALANCE_STABLE_BORROW_RATE =
            topic("RebalanceStableBorrowRate(address,address)");

    // PoolConfigurator
    public static final String RESERVE_INITIALIZED =
            topic("ReserveInitialized(address,address,address,address,address)");
    public static final String RESERVE_DROPPED = topic("ReserveDropped(address)");
    public static final String EMODE_CATEGORY_ADDED =
            topic("EModeCategoryAdded(uint8,uint256,uint256,uint256,address,string)");
    public static final String COLLATERAL_CONFIGURATION_CHANGED =
            topic("CollateralConfigurationChanged(address,uint256,uint256,uint256)");
    public static final String RESERVE_BORROWING = topic("ReserveBorrowing(address,bool)");
    public static final String RESERVE_STABLE_RATE_BORROWING =
            topic("ReserveStableRateBorrowing(address,bool)");
    public static final String RESERVE_FLASH_LOANING = topic("ReserveFlashLoaning(address,bool)");
    public static final String RESERVE_ACTIVE = topic("ReserveActive(address,bool)");
    public static final String RESERVE_FROZEN = topic("ReserveFrozen(address,bool)");
    public static final String RESERVE_PAUSED = topic("ReservePaused(address,bool)");
    public static final String BORROWABLE_IN_ISOLATION_CHANGED =
            topic("BorrowableInIsolationChanged(address,bool)");
    public static final String SILOED_BORROWING_CHANGED =
            topic("SiloedBorrowingChanged(address,bool,bool)");
    public static final String RESERVE_FACTOR_CHANGED =
            topic("ReserveFactorChanged(address,uint256,uint256)");
    public static final String BORROW_CAP_CHANGED =
            topic("BorrowCapChanged(address,uint256,uint256)");
    public static final String SUPPLY_CAP_CHANGED =
            topic("SupplyCapChanged(address,uint256,uint256)");
    public static final String LIQUIDATION_PROTOCOL_FEE_CHANGED =
            topic("LiquidationProtocolFeeChanged(address,uint256,uint256)");
    public static final String EMODE_ASSET_CATEGORY_CHANGED =
            topic("EModeAssetCategoryChanged(address,uint8,uint8)");
    public static final String UNBACKED_MINT_CAP_CHANGED =
            topic("UnbackedMintCapChanged(address,uint256,uint256)");
    public static final String DEBT_CEILING_CHANGED =
            topic("DebtCeilingChanged(address,uint256,uint256)");
    public static final String RESERVE_INTEREST_RATE_STRATEGY_CHANGED =
            topic("ReserveInterestRateStrategyChanged(address,address,address)");

    // AaveOracle and its sources
    public static final String ASSET_SOURCE_UPDATED = topic("AssetSourceUpdated(address,address)");
    public static final String BASE_CURRENCY_SET = topic("BaseCurrencySet(address,uint256)");
    public static final String FALLBACK_ORACLE_UPDATED = topic("FallbackOracleUpdated(address)");

    /** A Chainlink-style aggregator's new answer (MockAggregator emits it when deployed). */
    public static final String ANSWER_UPDATED = topic("AnswerUpdated(int256,uint256,uint256)");

    // aTokens and variable debt tokens (ScaledBalanceTokenBase)
    public static final String ATOKEN_INITIALIZED =
            topic("Initialized(address,address,address,address,uint8,string,string,bytes)");
    public static final String MINT = topic("Mint(address,address,uint256,uint256,uint256)");
    public static final String BURN = topic("Burn(address,address,uint256,uint256,uint256)");
    public static final String BALANCE_TRANSFER =
            topic("BalanceTransfer(address,address,uint256,uint256)");

    // Stable debt tokens: any of these means stable-rate debt, which the book refuses.
    public static final String STABLE_MINT =
            topic("Mint(address,address,uint256,uint256,uint256,uint256,uint256,uint256)");
    public static final String STABLE_BURN =
            topic("Burn(address,uint256,uint256,uint256,uint256,uint256)");

    /** Topics the book reads from the pool. */
    public static final Set<String> POOL_EVENTS =
            Set.of(
                    RESERVE_DATA_UPDATED,
                    COLLATERAL_ENABLED,
                    COLLATERAL_DISABLED,
                    BORROW,
                    USER_EMODE_SET,
                    SWAP_BORROW_RATE_MODE,
                    REBALANCE_STABLE_BORROW_RATE);

    /** Topics the book reads from the configurator. */
    public static final Set<String> CONFIGURATOR_EVENTS =
            Set.of(
                    RESERVE_INITIALIZED,
                    RESERVE_DROPPED,
                    EMODE_CATEGORY_ADDED,
                    COLLATERAL_CONFIGURATION_CHANGED,
                    RESERVE_BORROWING,
                    RESERVE_STABLE_RATE_BORROWING,
                    RESERVE_FLASH_LOANING,
                    RESERVE_ACTIVE,
                    RESERVE_FROZEN,
                    RESERVE_PAUSED,
                    BORROWABLE_IN_ISOLATION_CHANGED,
                    SILOED_BORROWING_CHANGED,
                    RESERVE_FACTOR_CHANGED,
                    BORROW_CAP_CHANGED,
                    SUPPLY_CAP_CHANGED,
                    LIQUIDATION_PROTOCOL_FEE_CHANGED,
                    EMODE_ASSET_CATEGORY_CHANGED,
                    UNBACKED_MINT_CAP_CHANGED,
                    DEBT_CEILING_CHANGED,
                    RESERVE_INTEREST_RATE_STRATEGY_CHANGED);

    /** Topics the book reads from the AaveOracle. */
    public static final Set<String> ORACLE_EVENTS =
            Set.of(ASSET_SOURCE_UPDATED, BASE_CURRENCY_SET, FALLBACK_ORACLE_UPDATED);

    /** Topics the book reads from price sources. */
    public static final Set<String> SOURCE_EVENTS = Set.of(ANSWER_UPDATED);

    /**
     * Topics the book reads from reserve tokens ({@link #ATOKEN_INITIALIZED} before the token is
     * known: ask for it by topics, with the pool as its second indexed argument).
     */
    public static final Set<String> TOKEN_EVENTS =
            Set.of(ATOKEN_INITIALIZED, MINT, BURN, BALANCE_TRANSFER, STABLE_MINT, STABLE_BURN);

    /**
     * Every topic 0 the book reads: a follower that asks {@code eth_getLogs} for these (from the
     * contracts each set names) gives the book all it needs, and the differential test feeds it
     * nothing else.
     */
    public static final Set<String> ALL =
            Stream.of(POOL_EVENTS, CONFIGURATOR_EVENTS, ORACLE_EVENTS, SOURCE_EVENTS, TOKEN_EVENTS)
                    .flatMap(Set::stream)
                    .collect(Collectors.toUnmodifiableSet());

    /** {@code Borrow}'s interestRateMode for stable-rate debt (2 is variable). */
    public static final int STABLE_RATE_MODE = 1;

    private AaveEvents() {}

    /** The keccak-256 of an event's canonical signature, as its logs carry in topic 0. */
    public static String topic(String signature) {
        return Hex.of(Keccak256.hash(signature.getBytes(StandardCharsets.US_ASCII)));
    }
}
