package io.freehold.contracts.math.aave;

import static io.freehold.contracts.math.aave.AaveEvents.*;
import static io.freehold.contracts.math.aave.RayMath.percentMul;
import static io.freehold.contracts.math.aave.RayMath.rayDiv;
import static io.freehold.contracts.math.aave.RayMath.rayMul;
import static io.freehold.contracts.math.aave.RayMath.wadDiv;

import io.freehold.contracts.math.aave.ReserveConfiguration.Field;
import io.freehold.types.Address;
import io.freehold.types.Uint256;
import java.math.BigInteger;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * An Aave v3 market rebuilt from its logs, exact to the wei: reserves (indexes, rates, last update,
 * configuration word), every account's scaled aToken and variable-debt balances and its collateral
 * and borrowing bits, and the oracle's prices; {@link #accountData} is {@code
 * Pool.getUserAccountData} at any timestamp from the last applied block on.
 *
 * <p>Where each figure comes from, and why:
 *
 * <ul>
 *   <li>Indexes and rates: {@code ReserveDataUpdated}, which the pool emits in every action that
 *       writes them (the block's timestamp is the last update). So no rate strategy is re-run.
 *   <li>Scaled balances: the reserve tokens' {@code Mint}, {@code Burn} and {@code
 *       BalanceTransfer}, which carry the index the token used; the scaled change is the amount
 *       {@code rayDiv} that index, as {@code ScaledBalanceTokenBase} computes it. The pool's {@code
 *       Supply}/{@code Withdraw}/{@code Repay}/{@code LiquidationCall} are not needed (and would
 *       miss the liquidation protocol fee and plain aToken transfers).
 *   <li>Collateral bits: {@code ReserveUsedAsCollateralEnabled/Disabled}. Borrowing bits: the
 *       pool's rule, replayed on the variable debt token's events.
 *   <li>Configuration: the configurator's events, into the word the pool keeps; decimals from the
 *       aToken's {@code Initialized} (the reserve is initialized with its underlying's decimals).
 *   <li>Prices: the AaveOracle's {@code AssetSourceUpdated} and each source's {@code
 *       AnswerUpdated}.
 * </ul>
 *
 * <p>Logs must come in chain order; each is taken only from the contract that may emit it (the
 * pool, configurator and oracle given at construction, the reserve tokens their {@code
 * ReserveInitialized} names, a source the oracle names). Not thread-safe.
 *
 * @throws UnsupportedAaveFeatureException from {@link #apply} or {@link #accountData} when the
 *     market uses what the book does not follow exactly (see the package documentation)
 */
public final class AaveBook {

    /** The contracts whose logs the book reads. */
    public record Market(Address pool, Address configurator, Address oracle) {
        public Market {
            Objects.requireNonNull(pool, "pool");
            Objects.requireNonNull(configurator, "configurator");
            Objects.requireNonNull(oracle, "oracle");
        }
    }

    enum TokenKind {
        A_TOKEN,
        VARIABLE_DEBT,
        STABLE_DEBT
    }

    record ReserveToken(Address asset, TokenKind kind) {}

    // Package-private: AaveBookCodec writes and reads the whole state.
    final Market market;
    final Map<Address, AaveReserve> reserves = new LinkedHashMap<>();

    /** The pool's reserves list: id to asset, with the holes dropped reserves leave. */
    final Map<Integer, Address> reservesList = new HashMap<>();

    int reservesCount;
    final Map<Address, ReserveToken> tokens = new HashMap<>();

    /** aToken proxies initialized for this pool whose reserve is not yet initialized. */
    final Map<Address, Integer> initializedDecimals = new HashMap<>();

    final Map<Address, Map<Address, AaveUserReserve>> users = new TreeMap<>();
    final Map<Integer, EModeCategory> eModeCategories = new HashMap<>();
    final Map<Address, Integer> userEModes = new HashMap<>();
    final Map<Address, Address> priceSources = new HashMap<>();
    final Map<Address, BigInteger> answers = new HashMap<>();
    Address baseCurrency;
    BigInteger baseCurrencyUnit;

    /**
     * Prices a what-if put in place of the oracle's ({@link #withPrice}); empty in a book that
     * follows the chain (so AaveBookCodec never stores them).
     */
    private final Map<Address, BigInteger> priceOverrides = new HashMap<>();

    long lastBlock = -1;
    long lastLogIndex = -1;
    long lastTimestamp;

    /** The newest entry of the accounts' change journal; copies share the journal. */
    private ChangeMark lastChange = ChangeMark.root();

    /**
     * A point in a book's journal of account changes (positions, bits, eMode): what {@link
     * #accountsChangedSince} counts from. The journal is a persistent list, newest first, shared by
     * a book and its copies, so a mark identifies one history: a book that went back to an older
     * copy (a reorg) and on, or one decoded from bytes, does not find another history's mark. It is
     * cut every {@value #JOURNAL_LIMIT} changes, so that it keeps no more than that alive.
     */
    public static final class ChangeMark {
        private final long depth;
        private final Address account;
        private final ChangeMark previous;

        private ChangeMark(long depth, Address account, ChangeMark previous) {
            this.depth = depth;
            this.account = account;
            this.previous = previous;
        }

        static ChangeMark root() {
            return new ChangeMark(0, null, null);
        }
    }

    /** How many account changes the journal keeps before it is cut. */
    public static final int JOURNAL_LIMIT = 1 << 16;

    public AaveBook(Market market) {
        this.market = Objects.requireNonNull(market, "market");
    }

    /**
     * An independent copy of this book as it stands: what a follower keeps at a block it may have
     * to return to (a reorg), since the book itself only goes forward.
     */
    public AaveBook copy() {
        AaveBook copy = new AaveBook(market);
        copy.reserves.putAll(reserves);
        copy.reservesList.putAll(reservesList);
        copy.reservesCount = reservesCount;
        copy.tokens.putAll(tokens);
        copy.initializedDecimals.putAll(initializedDecimals);
        users.forEach((user, positions) -> copy.users.put(user, new TreeMap<>(positions)));
        copy.eModeCategories.putAll(eModeCategories);
        copy.userEModes.putAll(userEModes);
        copy.priceSources.putAll(priceSources);
        copy.answers.putAll(answers);
        copy.baseCurrency = baseCurrency;
        copy.baseCurrencyUnit = baseCurrencyUnit;
        copy.priceOverrides.putAll(priceOverrides);
        copy.lastBlock = lastBlock;
        copy.lastLogIndex = lastLogIndex;
        copy.lastTimestamp = lastTimestamp;
        copy.lastChange = lastChange;
        return copy;
    }

    public Market market() {
        return market;
    }

    /** The block of the last applied log, -1 before any. */
    public long lastBlock() {
        return lastBlock;
    }

    /**
     * Applies one log; logs of contracts the book does not follow, and events it does not need, are
     * ignored.
     *
     * @throws IllegalArgumentException if the log is not after the last applied one
     * @throws IllegalStateException if a balance would go below zero (a missed or doubled log)
     */
    public void apply(AaveLog log) {
        if (log.blockNumber() < lastBlock
                || (log.blockNumber() == lastBlock && log.logIndex() <= lastLogIndex)) {
            throw new IllegalArgumentException(
                    log + " is not after block " + lastBlock + " log " + lastLogIndex);
        }
        lastBlock = log.blockNumber();
        lastLogIndex = log.logIndex();
        lastTimestamp = log.blockTimestamp();
        String signature = log.signature();
        if (signature == null) {
            return;
        }
        Address emitter = log.address();
        if (emitter.equals(market.pool())) {
            applyPool(log, signature);
        } else if (emitter.equals(market.configurator())) {
            applyConfigurator(log, signature);
        } else if (emitter.equals(market.oracle())) {
            applyOracle(log, signature);
        } else if (tokens.containsKey(emitter)) {
            applyToken(log, signature, tokens.get(emitter));
        } else if (signature.equals(ANSWER_UPDATED)) {
            // int256 indexed: two's complement in the topic.
            answers.put(emitter, toSigned(log.topicUint(1)));
        } else if (signature.equals(ATOKEN_INITIALIZED)
                && log.topics().size() == 3
                && log.topicAddress(2).equals(market.pool())) {
            initializedDecimals.put(emitter, log.word(2).intValueExact());
        }
    }

    private void applyPool(AaveLog log, String signature) {
        if (signature.equals(RESERVE_DATA_UPDATED)) {
            Address asset = log.topicAddress(1);
            AaveReserve reserve = reserve(asset);
            reserves.put(
                    asset,
                    reserve.updated(
                            log.word(0),
                            log.word(1),
                            log.word(2),
                            log.word(3),
                            log.word(4),
                            log.blockTimestamp()));
        } else if (signature.equals(COLLATERAL_ENABLED) || signature.equals(COLLATERAL_DISABLED)) {
            Address asset = log.topicAddress(1);
            Address user = log.topicAddress(2);
            update(user, asset, p -> p.withCollateral(signature.equals(COLLATERAL_ENABLED)));
        } else if (signature.equals(BORROW)) {
            // data: user, amount, interestRateMode, borrowRate
            if (log.word(2).equals(BigInteger.valueOf(STABLE_RATE_MODE))) {
                throw new UnsupportedAaveFeatureException(
                        "stable-rate debt", "a stable-rate Borrow in " + log);
            }
        } else if (signature.equals(USER_EMODE_SET)) {
            int category = log.word(0).intValueExact();
            if (category == 0) {
                userEModes.remove(log.topicAddress(1));
            } else {
                userEModes.put(log.topicAddress(1), category);
            }
            changed(log.topicAddress(1));
        } else if (signature.equals(SWAP_BORROW_RATE_MODE)
                || signature.equals(REBALANCE_STABLE_BORROW_RATE)) {
            throw new UnsupportedAaveFeatureException("stable-rate debt", "a rate swap in " + log);
        }
    }

    private void applyConfigurator(AaveLog log, String signature) {
        if (signature.equals(RESERVE_INITIALIZED)) {
            Address asset = log.topicAddress(1);
            Address aToken = log.topicAddress(2);
            Integer decimals = initializedDecimals.remove(aToken);
            if (decimals == null) {
                throw new IllegalStateException(
                        "reserve " + asset + " initialized before its aToken " + aToken + " was");
            }
            Address stable = log.wordAddress(0);
            Address variable = log.wordAddress(1);
            // ConfiguratorLogic.executeInitReserve: decimals, active, not paused, not frozen.
            ReserveConfiguration configuration =
                    ReserveConfiguration.EMPTY
                            .with(Field.DECIMALS, decimals)
                            .with(Field.ACTIVE, true);
            // PoolLogic.executeInitReserve: the first hole a dropped reserve left, else a new slot.
            int id = 0;
            while (id < reservesCount && reservesList.containsKey(id)) {
                id++;
            }
            if (id == reservesCount) {
                reservesCount++;
            }
            reservesList.put(id, asset);
            reserves.put(
                    asset,
                    AaveReserve.initialized(
                            asset,
                            id,
                            aToken,
                            stable,
                            variable,
                            log.wordAddress(2),
                            configuration));
            tokens.put(aToken, new ReserveToken(asset, TokenKind.A_TOKEN));
            tokens.put(variable, new ReserveToken(asset, TokenKind.VARIABLE_DEBT));
            tokens.put(stable, new ReserveToken(asset, TokenKind.STABLE_DEBT));
            return;
        }
        if (signature.equals(EMODE_CATEGORY_ADDED)) {
            // Emitted for a new category and for every change of one (the pool keeps the last).
            eModeCategories.put(
                    log.topicUint(1).intValueExact(),
                    new EModeCategory(
                            log.word(0).intValueExact(),
                            log.word(1).intValueExact(),
                            log.word(2).intValueExact(),
                            log.wordAddress(3)));
            return;
        }
        if (signature.equals(BORROWABLE_IN_ISOLATION_CHANGED)) {
            // The one configurator event whose asset is not indexed.
            configure(log.wordAddress(0), Field.BORROWABLE_IN_ISOLATION, log.word(1));
            return;
        }
        if (log.topics().size() < 2) {
            return; // market-wide events (flash loan premiums, eMode categories, bridge fee)
        }
        Address asset = log.topicAddress(1);
        if (signature.equals(RESERVE_DROPPED)) {
            AaveReserve dropped = reserves.remove(asset);
            if (dropped != null) {
                reservesList.remove(dropped.id());
                tokens.remove(dropped.aToken());
                tokens.remove(dropped.variableDebtToken());
                tokens.remove(dropped.stableDebtToken());
            }
        } else if (signature.equals(COLLATERAL_CONFIGURATION_CHANGED)) {
            AaveReserve reserve = reserve(asset);
            reserves.put(
                    asset,
                    reserve.withConfiguration(
                            reserve.configuration()
                                    .with(Field.LTV, log.word(0))
                                    .with(Field.LIQUIDATION_THRESHOLD, log.word(1))
                                    .with(Field.LIQUIDATION_BONUS, log.word(2))));
        } else if (signature.equals(RESERVE_BORROWING)) {
            configure(asset, Field.BORROWING_ENABLED, log.word(0));
        } else if (signature.equals(RESERVE_STABLE_RATE_BORROWING)) {
            configure(asset, Field.STABLE_BORROWING_ENABLED, log.word(0));
        } else if (signature.equals(RESERVE_FLASH_LOANING)) {
            configure(asset, Field.FLASHLOAN_ENABLED, log.word(0));
        } else if (signature.equals(RESERVE_ACTIVE)) {
            configure(asset, Field.ACTIVE, log.word(0));
        } else if (signature.equals(RESERVE_FROZEN)) {
            configure(asset, Field.FROZEN, log.word(0));
        } else if (signature.equals(RESERVE_PAUSED)) {
            configure(asset, Field.PAUSED, log.word(0));
        } else if (signature.equals(SILOED_BORROWING_CHANGED)) {
            configure(asset, Field.SILOED_BORROWING, log.word(1));
        } else if (signature.equals(RESERVE_FACTOR_CHANGED)) {
            configure(asset, Field.RESERVE_FACTOR, log.word(1));
        } else if (signature.equals(BORROW_CAP_CHANGED)) {
            configure(asset, Field.BORROW_CAP, log.word(1));
        } else if (signature.equals(SUPPLY_CAP_CHANGED)) {
            configure(asset, Field.SUPPLY_CAP, log.word(1));
        } else if (signature.equals(LIQUIDATION_PROTOCOL_FEE_CHANGED)) {
            configure(asset, Field.LIQUIDATION_PROTOCOL_FEE, log.word(1));
        } else if (signature.equals(EMODE_ASSET_CATEGORY_CHANGED)) {
            configure(asset, Field.EMODE_CATEGORY, log.word(1));
        } else if (signature.equals(UNBACKED_MINT_CAP_CHANGED)) {
            configure(asset, Field.UNBACKED_MINT_CAP, log.word(1));
        } else if (signature.equals(DEBT_CEILING_CHANGED)) {
            configure(asset, Field.DEBT_CEILING, log.word(1));
        } else if (signature.equals(RESERVE_INTEREST_RATE_STRATEGY_CHANGED)) {
            reserves.put(asset, reserve(asset).withStrategy(log.wordAddress(1)));
        }
    }

    private void applyOracle(AaveLog log, String signature) {
        if (signature.equals(ASSET_SOURCE_UPDATED)) {
            priceSources.put(log.topicAddress(1), log.topicAddress(2));
        } else if (signature.equals(BASE_CURRENCY_SET)) {
            baseCurrency = log.topicAddress(1);
            baseCurrencyUnit = log.word(0);
        }
        // FallbackOracleUpdated: the fallback is refused where a price would need it.
    }

    private void applyToken(AaveLog log, String signature, ReserveToken token) {
        if (token.kind() == TokenKind.STABLE_DEBT) {
            if (signature.equals(STABLE_MINT) || signature.equals(STABLE_BURN)) {
                throw new UnsupportedAaveFeatureException(
                        "stable-rate debt", "the stable debt token moved in " + log);
            }
            return;
        }
        boolean aToken = token.kind() == TokenKind.A_TOKEN;
        if (signature.equals(BALANCE_TRANSFER)) {
            if (!aToken) {
                return;
            }
            // AToken._transfer emits the scaled amount: amount.rayDiv(index).
            BigInteger scaled = log.word(0);
            Address from = log.topicAddress(1);
            Address to = log.topicAddress(2);
            update(
                    from,
                    token.asset(),
                    p -> p.withATokens(subtract(p.scaledATokenBalance(), scaled, from, log)));
            update(to, token.asset(), p -> p.withATokens(p.scaledATokenBalance().add(scaled)));
            return;
        }
        boolean mint = signature.equals(MINT);
        if (!mint && !signature.equals(BURN)) {
            return;
        }
        Address user = log.topicAddress(mint ? 2 : 1);
        BigInteger value = log.word(0);
        BigInteger balanceIncrease = log.word(1);
        BigInteger index = log.word(2);
        // _mintScaled emits value = amount + interest; _burnScaled emits Burn with
        // value = amount - interest, or, when the interest exceeds the amount, Mint with
        // value = interest - amount. A transfer's interest-only Mint has value == interest.
        BigInteger amount; // signed: positive mints, negative burns
        if (mint) {
            amount = value.subtract(balanceIncrease);
        } else {
            amount = value.add(balanceIncrease).negate();
        }
        if (amount.signum() == 0) {
            return;
        }
        BigInteger scaledDelta = rayDiv(amount.abs(), index);
        if (aToken) {
            update(
                    user,
                    token.asset(),
                    p ->
                            p.withATokens(
                                    amount.signum() > 0
                                            ? p.scaledATokenBalance().add(scaledDelta)
                                            : subtract(
                                                    p.scaledATokenBalance(),
                                                    scaledDelta,
                                                    user,
                                                    log)));
        } else {
            update(
                    user,
                    token.asset(),
                    p -> {
                        BigInteger before = p.scaledVariableDebt();
                        if (amount.signum() > 0) {
                            // BorrowLogic: the borrowing bit is set when the mint starts from zero.
                            return p.withDebt(
                                    before.add(scaledDelta), p.borrowing() || before.signum() == 0);
                        }
                        // Repay and liquidation clear it when they burn the whole debt,
                        // valued at the index the burn used.
                        boolean whole = amount.negate().equals(rayMul(before, index));
                        return p.withDebt(
                                subtract(before, scaledDelta, user, log), p.borrowing() && !whole);
                    });
        }
    }

    private void configure(Address asset, Field field, BigInteger value) {
        AaveReserve reserve = reserve(asset);
        reserves.put(asset, reserve.withConfiguration(reserve.configuration().with(field, value)));
    }

    private AaveReserve reserve(Address asset) {
        AaveReserve reserve = reserves.get(asset);
        if (reserve == null) {
            throw new IllegalStateException("no reserve " + asset + " in the book");
        }
        return reserve;
    }

    private void update(
            Address user, Address asset, java.util.function.UnaryOperator<AaveUserReserve> change) {
        changed(user);
        Map<Address, AaveUserReserve> positions = users.computeIfAbsent(user, u -> new TreeMap<>());
        AaveUserReserve next = change.apply(positions.getOrDefault(asset, AaveUserReserve.EMPTY));
        if (next.isEmpty()) {
            positions.remove(asset);
        } else {
            positions.put(asset, next);
        }
    }

    private void changed(Address user) {
        lastChange =
                lastChange.depth >= JOURNAL_LIMIT
                        ? new ChangeMark(1, user, ChangeMark.root())
                        : new ChangeMark(lastChange.depth + 1, user, lastChange);
    }

    /** The newest point of this book's journal of account changes. */
    public ChangeMark changeMark() {
        return lastChange;
    }

    /**
     * The accounts whose positions, collateral or borrowing bits or eMode changed after {@code
     * mark}; empty when {@code mark} is not in this book's history (another history after a reorg,
     * a book decoded from bytes, or a journal cut since): the caller must then look at every
     * account.
     */
    public java.util.Optional<Set<Address>> accountsChangedSince(ChangeMark mark) {
        Set<Address> changed = new java.util.HashSet<>();
        ChangeMark at = lastChange;
        while (at != null && at.depth > mark.depth) {
            changed.add(at.account);
            at = at.previous;
        }
        return at == mark ? java.util.Optional.of(changed) : java.util.Optional.empty();
    }

    private static BigInteger subtract(
            BigInteger from, BigInteger amount, Address user, AaveLog log) {
        BigInteger result = from.subtract(amount);
        if (result.signum() < 0) {
            throw new IllegalStateException(
                    "scaled balance of "
                            + user
                            + " below zero at "
                            + log
                            + ": a log was missed or doubled");
        }
        return result;
    }

    private static BigInteger toSigned(BigInteger word) {
        return word.testBit(255) ? word.subtract(BigInteger.ONE.shiftLeft(256)) : word;
    }

    // ---- reads ----

    /**
     * {@code Pool.getUserConfiguration(user)}: for each reserve, bit {@code 2 * id} when the pool
     * counts the account as borrowing it, bit {@code 2 * id + 1} when it is collateral.
     */
    public BigInteger userConfiguration(Address user) {
        BigInteger data = BigInteger.ZERO;
        for (Map.Entry<Address, AaveUserReserve> entry : positions(user).entrySet()) {
            AaveReserve reserve = reserves.get(entry.getKey());
            if (reserve == null) {
                continue;
            }
            if (entry.getValue().borrowing()) {
                data = data.setBit(2 * reserve.id());
            }
            if (entry.getValue().collateral()) {
                data = data.setBit(2 * reserve.id() + 1);
            }
        }
        return data;
    }

    /** The eMode category {@code user} is in, 0 for none. */
    public int eModeOf(Address user) {
        return userEModes.getOrDefault(user, 0);
    }

    /** The eMode categories the configurator set, by id. */
    public Map<Integer, EModeCategory> eModeCategories() {
        return Collections.unmodifiableMap(eModeCategories);
    }

    /** The reserve of {@code asset}, or {@code null}. */
    public AaveReserve reserveOf(Address asset) {
        return reserves.get(asset);
    }

    /** Every reserve, in the order they were initialized. */
    public Map<Address, AaveReserve> reserves() {
        return Collections.unmodifiableMap(reserves);
    }

    /**
     * The AaveOracle's base currency and its unit (the price of the base currency itself; 1e8 for
     * USD), from its {@code BaseCurrencySet}.
     */
    public record BaseCurrency(Address currency, BigInteger unit) {}

    /** The oracle's base currency; empty before its {@code BaseCurrencySet} was applied. */
    public java.util.Optional<BaseCurrency> baseCurrency() {
        return baseCurrencyUnit == null
                ? java.util.Optional.empty()
                : java.util.Optional.of(new BaseCurrency(baseCurrency, baseCurrencyUnit));
    }

    /** Every account the book has seen, in address order. */
    public Set<Address> accounts() {
        return Collections.unmodifiableSet(users.keySet());
    }

    /** {@code user}'s positions by asset (only the non-empty ones). */
    public Map<Address, AaveUserReserve> positions(Address user) {
        return Collections.unmodifiableMap(users.getOrDefault(user, Map.of()));
    }

    /**
     * {@code AaveOracle.getAssetPrice(asset)} as of the last applied log, in the base currency's
     * units.
     *
     * @throws UnsupportedAaveFeatureException when the oracle would ask its fallback (no source, or
     *     a source whose answer is not positive) or the book has not seen the source's answer
     */
    public BigInteger price(Address asset) {
        BigInteger override = priceOverrides.get(asset);
        if (override != null) {
            return override;
        }
        if (asset.equals(baseCurrency)) {
            return baseCurrencyUnit;
        }
        Address source = priceSources.get(asset);
        if (source == null || source.equals(Address.ZERO)) {
            throw new UnsupportedAaveFeatureException(
                    "fallback oracle", "the oracle has no source for " + asset);
        }
        BigInteger answer = answers.get(source);
        if (answer == null) {
            throw new UnsupportedAaveFeatureException(
                    "price source without AnswerUpdated",
                    "no answer seen from " + source + ", the source of " + asset);
        }
        if (answer.signum() <= 0) {
            throw new UnsupportedAaveFeatureException(
                    "fallback oracle", source + " answers " + answer + " for " + asset);
        }
        return answer;
    }

    /**
     * A copy of this book in which {@code AaveOracle.getAssetPrice(asset)} answers {@code price} (a
     * what-if: this book is not changed). Only that asset's price moves, also where it is an eMode
     * category's price source; other assets sharing its source keep theirs.
     *
     * @throws IllegalArgumentException if {@code asset} is not a reserve, or {@code price} is not a
     *     positive int256 (the oracle asks its fallback for any other answer)
     */
    public AaveBook withPrice(Address asset, BigInteger price) {
        if (!reserves.containsKey(asset)) {
            throw new IllegalArgumentException("no reserve " + asset + " in the book");
        }
        if (price.signum() <= 0 || price.bitLength() > 255) {
            throw new IllegalArgumentException(
                    "an oracle price is a positive int256, not " + price);
        }
        AaveBook copy = copy();
        copy.priceOverrides.put(asset, price);
        return copy;
    }

    /**
     * One reserve of one account as {@code GenericLogic.calculateUserAccountData} counts it: the
     * oracle price it is valued at (the reserve's own, or its eMode category's price source), and
     * the underlying amounts it counts as collateral and as debt.
     *
     * @param priceAsset the asset whose {@code getAssetPrice} values this reserve for this account
     * @param price that price, in the base currency's units
     * @param unit {@code 10^decimals} of the reserve
     * @param collateral the aToken balance when the reserve counts as collateral (collateral bit
     *     and a non-zero liquidation threshold of the reserve itself), else zero
     * @param ltv the LTV it counts at (the eMode category's in eMode; zero when the reserve's own
     *     is zero), basis points
     * @param liquidationThreshold the threshold it counts at (the category's in eMode), basis
     *     points
     * @param debt the variable debt when the pool counts the account as borrowing it, else zero
     */
    public record Exposure(
            Address asset,
            Address priceAsset,
            BigInteger price,
            BigInteger unit,
            BigInteger collateral,
            int ltv,
            int liquidationThreshold,
            BigInteger debt) {}

    /**
     * The reserves {@code getUserAccountData(user)} reads in a block at {@code timestamp}, each as
     * it counts them: {@link #accountData} is their sum. Empty for an account with no collateral
     * and no borrowing bit (the pool's {@code isEmpty()} shortcut, taken before it reads any
     * price). No check of {@code timestamp}: {@link #accountData} makes it.
     */
    public java.util.List<Exposure> exposures(Address user, long timestamp) {
        Map<Address, AaveUserReserve> positions = positions(user);
        if (positions.values().stream().noneMatch(p -> p.collateral() || p.borrowing())) {
            return java.util.List.of();
        }
        // The account's eMode: its category's LTV and threshold replace the reserve's for the
        // reserves of that category, and its price source (if any) their oracle price.
        int userCategory = userEModes.getOrDefault(user, 0);
        int eModeLtv = 0;
        int eModeThreshold = 0;
        Address eModePriceAsset = null;
        BigInteger eModePrice = BigInteger.ZERO;
        if (userCategory != 0) {
            EModeCategory category = eModeCategories.getOrDefault(userCategory, EModeCategory.NONE);
            eModeLtv = category.ltv();
            eModeThreshold = category.liquidationThreshold();
            if (!category.priceSource().equals(Address.ZERO)) {
                eModePriceAsset = category.priceSource();
                eModePrice = price(eModePriceAsset);
            }
        }
        java.util.List<Exposure> out = new java.util.ArrayList<>(positions.size());
        for (Map.Entry<Address, AaveUserReserve> entry : positions.entrySet()) {
            AaveUserReserve position = entry.getValue();
            if (!position.collateral() && !position.borrowing()) {
                continue;
            }
            AaveReserve reserve = reserves.get(entry.getKey());
            if (reserve == null) {
                continue; // a dropped reserve: its slot in the list is empty
            }
            ReserveConfiguration configuration = reserve.configuration();
            BigInteger unit = BigInteger.TEN.pow(configuration.decimals());
            boolean inEMode = userCategory != 0 && configuration.eModeCategory() == userCategory;
            boolean byCategoryPrice = eModePrice.signum() != 0 && inEMode;
            Address priceAsset = byCategoryPrice ? eModePriceAsset : reserve.asset();
            BigInteger price = byCategoryPrice ? eModePrice : price(reserve.asset());
            BigInteger collateral = BigInteger.ZERO;
            if (configuration.liquidationThreshold() != 0 && position.collateral()) {
                collateral =
                        rayMul(position.scaledATokenBalance(), reserve.normalizedIncome(timestamp));
            }
            BigInteger debt = BigInteger.ZERO;
            if (position.borrowing() && position.scaledVariableDebt().signum() != 0) {
                debt = rayMul(position.scaledVariableDebt(), reserve.normalizedDebt(timestamp));
            }
            // A zero LTV stays zero in eMode: the pool tests the reserve's own LTV first.
            int ltv = configuration.ltv() == 0 ? 0 : inEMode ? eModeLtv : configuration.ltv();
            int threshold = inEMode ? eModeThreshold : configuration.liquidationThreshold();
            out.add(
                    new Exposure(
                            reserve.asset(),
                            priceAsset,
                            price,
                            unit,
                            collateral,
                            ltv,
                            threshold,
                            debt));
        }
        return out;
    }

    /**
     * {@code Pool.getUserAccountData(user)} in a block at {@code timestamp} (no earlier than the
     * last applied log's block), as {@code GenericLogic.calculateUserAccountData} and {@code
     * calculateAvailableBorrows} compute it.
     */
    public AccountData accountData(Address user, long timestamp) {
        if (timestamp < lastTimestamp) {
            throw new IllegalArgumentException(
                    "timestamp "
                            + timestamp
                            + " is before the last applied block's "
                            + lastTimestamp);
        }
        return accountData(exposures(user, timestamp));
    }

    /**
     * {@code getUserAccountData}'s six figures from an account's {@link #exposures}: the pool's
     * sums, averages and roundings.
     */
    public static AccountData accountData(java.util.List<Exposure> exposures) {
        if (exposures.isEmpty()) {
            return new AccountData(
                    BigInteger.ZERO,
                    BigInteger.ZERO,
                    BigInteger.ZERO,
                    BigInteger.ZERO,
                    BigInteger.ZERO,
                    Uint256.MAX);
        }
        BigInteger totalCollateral = BigInteger.ZERO;
        BigInteger totalDebt = BigInteger.ZERO;
        BigInteger avgLtv = BigInteger.ZERO;
        BigInteger avgThreshold = BigInteger.ZERO;
        for (Exposure e : exposures) {
            if (e.collateral().signum() != 0) {
                BigInteger balance = e.collateral().multiply(e.price()).divide(e.unit());
                totalCollateral = totalCollateral.add(balance);
                avgLtv = avgLtv.add(balance.multiply(BigInteger.valueOf(e.ltv())));
                avgThreshold =
                        avgThreshold.add(
                                balance.multiply(BigInteger.valueOf(e.liquidationThreshold())));
            }
            // A zero debt adds zero, as the pool's own valuation of it would.
            totalDebt = totalDebt.add(e.debt().multiply(e.price()).divide(e.unit()));
        }
        if (totalCollateral.signum() != 0) {
            avgLtv = avgLtv.divide(totalCollateral);
            avgThreshold = avgThreshold.divide(totalCollateral);
        } else {
            avgLtv = BigInteger.ZERO;
            avgThreshold = BigInteger.ZERO;
        }
        BigInteger healthFactor =
                totalDebt.signum() == 0
                        ? Uint256.MAX
                        : wadDiv(percentMul(totalCollateral, avgThreshold), totalDebt);
        BigInteger borrowable = percentMul(totalCollateral, avgLtv);
        BigInteger available =
                borrowable.compareTo(totalDebt) < 0
                        ? BigInteger.ZERO
                        : borrowable.subtract(totalDebt);
        return new AccountData(
                totalCollateral, totalDebt, available, avgThreshold, avgLtv, healthFactor);
    }
}
