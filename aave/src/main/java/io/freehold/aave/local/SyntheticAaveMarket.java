package io.freehold.aave.local;

import io.freehold.contracts.math.aave.AaveBook;
import io.freehold.contracts.math.aave.AaveEvents;
import io.freehold.contracts.math.aave.AaveLog;
import io.freehold.contracts.math.aave.AaveReserve;
import io.freehold.contracts.math.aave.AaveUserReserve;
import io.freehold.contracts.math.aave.RayMath;
import io.freehold.types.Address;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * An Aave market made of hand-written logs, in memory, for tests and benchmarks of what reads an
 * {@link AaveBook} with many accounts and no chain: three reserves (a property token, 18 decimals,
 * 70 % / 75 %; a stablecoin, 6, 80 % / 85 %; a volatile coin, 18, 80 % / 82.5 %), each priced by
 * its own source; an eMode category for the stablecoin (90 % / 93 %) priced by a peg asset that is
 * not a reserve. Each action emits what the pool would for the book: {@code ReserveDataUpdated}
 * with the indexes grown to the block's time, then the token's {@code Mint}/{@code Burn} at that
 * index.
 */
public final class SyntheticAaveMarket {

    public static final BigInteger RAY = RayMath.RAY;
    public static final Address POOL = address(0xa1);
    public static final Address CONFIGURATOR = address(0xa2);
    public static final Address ORACLE = address(0xa3);
    public static final Address PROPERTY = address(0xb1);
    public static final Address STABLE = address(0xb2);
    public static final Address COIN = address(0xb3);
    public static final Address PEG = address(0xb4);
    public static final List<Address> RESERVES = List.of(PROPERTY, STABLE, COIN);
    public static final List<Address> PRICED = List.of(PROPERTY, STABLE, COIN, PEG);

    public final AaveBook book = new AaveBook(new AaveBook.Market(POOL, CONFIGURATOR, ORACLE));
    private long block = 1;
    private long time = 1_000;
    private long logIndex;
    private int sources;

    public SyntheticAaveMarket() {
        int[][] params = {
            {7_000, 7_500, 11_000, 18}, {8_000, 8_500, 10_500, 6}, {8_000, 8_250, 10_500, 18}
        };
        long[] prices = {5_240_000_000L, 100_000_000L, 300_000_000_000L, 100_000_000L};
        for (int i = 0; i < RESERVES.size(); i++) {
            Address asset = RESERVES.get(i);
            Address aToken = aToken(asset);
            emit(
                    aToken,
                    List.of(AaveEvents.ATOKEN_INITIALIZED, word(asset), word(POOL)),
                    words(BigInteger.ZERO, BigInteger.ZERO, BigInteger.valueOf(params[i][3])));
            emit(
                    CONFIGURATOR,
                    List.of(AaveEvents.RESERVE_INITIALIZED, word(asset), word(aToken)),
                    words(num(stableDebt(asset)), num(variableDebt(asset)), BigInteger.ZERO));
            collateralConfiguration(asset, params[i][0], params[i][1], params[i][2]);
        }
        for (int i = 0; i < PRICED.size(); i++) {
            setPrice(PRICED.get(i), BigInteger.valueOf(prices[i]));
        }
        eModeCategory(9_000, 9_300);
        emit(
                CONFIGURATOR,
                List.of(AaveEvents.EMODE_ASSET_CATEGORY_CHANGED, word(STABLE)),
                words(BigInteger.ZERO, BigInteger.ONE));
    }

    public static Address address(int n) {
        return Address.of(String.format("0x%040x", n));
    }

    public static Address account(int n) {
        return address(0x100000 + n);
    }

    public long time() {
        return time;
    }

    /** The next block, {@code seconds} later. */
    public void advance(long seconds) {
        block++;
        time += seconds;
    }

    public BigInteger unit(Address asset) {
        return BigInteger.TEN.pow(book.reserveOf(asset).configuration().decimals());
    }

    public void collateralConfiguration(Address asset, int ltv, int threshold, int bonus) {
        emit(
                CONFIGURATOR,
                List.of(AaveEvents.COLLATERAL_CONFIGURATION_CHANGED, word(asset)),
                words(
                        BigInteger.valueOf(ltv),
                        BigInteger.valueOf(threshold),
                        BigInteger.valueOf(bonus)));
    }

    public void eModeCategory(int ltv, int threshold) {
        emit(
                CONFIGURATOR,
                List.of(AaveEvents.EMODE_CATEGORY_ADDED, word(BigInteger.ONE)),
                words(
                        BigInteger.valueOf(ltv),
                        BigInteger.valueOf(threshold),
                        BigInteger.valueOf(10_200),
                        num(PEG),
                        BigInteger.valueOf(192),
                        BigInteger.ZERO));
    }

    /** A new source for {@code asset} answering {@code price} (as a price move does on a chain). */
    public void setPrice(Address asset, BigInteger price) {
        Address source = address(0xc00 + sources++);
        emit(
                source,
                List.of(AaveEvents.ANSWER_UPDATED, word(price), word(BigInteger.ZERO)),
                words(BigInteger.valueOf(time)));
        emit(ORACLE, List.of(AaveEvents.ASSET_SOURCE_UPDATED, word(asset), word(source)), "0x");
    }

    /** The reserve's rates from now on, its indexes grown to now (the pool's update). */
    public void rates(Address asset, BigInteger liquidityRate, BigInteger variableRate) {
        AaveReserve r = book.reserveOf(asset);
        emit(
                POOL,
                List.of(AaveEvents.RESERVE_DATA_UPDATED, word(asset)),
                words(
                        liquidityRate,
                        BigInteger.ZERO,
                        variableRate,
                        r.normalizedIncome(time),
                        r.normalizedDebt(time)));
    }

    private void touch(Address asset) {
        AaveReserve r = book.reserveOf(asset);
        rates(asset, r.liquidityRate(), r.variableBorrowRate());
    }

    public void supply(Address user, Address asset, BigInteger amount) {
        touch(asset);
        BigInteger index = book.reserveOf(asset).liquidityIndex();
        emit(
                aToken(asset),
                List.of(AaveEvents.MINT, word(user), word(user)),
                words(amount, BigInteger.ZERO, index));
        if (!position(user, asset).collateral()) {
            collateral(user, asset, true);
        }
    }

    public void collateral(Address user, Address asset, boolean on) {
        emit(
                POOL,
                List.of(
                        on ? AaveEvents.COLLATERAL_ENABLED : AaveEvents.COLLATERAL_DISABLED,
                        word(asset),
                        word(user)),
                "0x");
    }

    public void withdraw(Address user, Address asset, BigInteger amount) {
        touch(asset);
        BigInteger index = book.reserveOf(asset).liquidityIndex();
        emit(
                aToken(asset),
                List.of(AaveEvents.BURN, word(user), word(user)),
                words(amount, BigInteger.ZERO, index));
    }

    public void borrow(Address user, Address asset, BigInteger amount) {
        touch(asset);
        BigInteger index = book.reserveOf(asset).variableBorrowIndex();
        emit(
                variableDebt(asset),
                List.of(AaveEvents.MINT, word(user), word(user)),
                words(amount, BigInteger.ZERO, index));
    }

    public void repay(Address user, Address asset, BigInteger amount) {
        touch(asset);
        BigInteger index = book.reserveOf(asset).variableBorrowIndex();
        emit(
                variableDebt(asset),
                List.of(AaveEvents.BURN, word(user), word(user)),
                words(amount, BigInteger.ZERO, index));
    }

    public void eMode(Address user, int category) {
        emit(
                POOL,
                List.of(AaveEvents.USER_EMODE_SET, word(user)),
                words(BigInteger.valueOf(category)));
    }

    public AaveUserReserve position(Address user, Address asset) {
        return book.positions(user).getOrDefault(asset, AaveUserReserve.EMPTY);
    }

    /** The underlying amounts now: aTokens and variable debt. */
    public BigInteger supplied(Address user, Address asset) {
        return RayMath.rayMul(
                position(user, asset).scaledATokenBalance(),
                book.reserveOf(asset).normalizedIncome(time));
    }

    public BigInteger owed(Address user, Address asset) {
        return RayMath.rayMul(
                position(user, asset).scaledVariableDebt(),
                book.reserveOf(asset).normalizedDebt(time));
    }

    private void emit(Address emitter, List<String> topics, String data) {
        book.apply(new AaveLog(block, time, logIndex++, emitter, topics, data));
    }

    static Address aToken(Address asset) {
        return address(0x1000 + num(asset).intValueExact());
    }

    static Address variableDebt(Address asset) {
        return address(0x2000 + num(asset).intValueExact());
    }

    static Address stableDebt(Address asset) {
        return address(0x3000 + num(asset).intValueExact());
    }

    static BigInteger num(Address a) {
        return new BigInteger(a.hex().substring(2), 16);
    }

    static String word(Address address) {
        return "0x" + "0".repeat(24) + address.hex().substring(2);
    }

    static String word(BigInteger value) {
        String hex = value.toString(16);
        return "0x" + "0".repeat(64 - hex.length()) + hex;
    }

    static String words(BigInteger... values) {
        List<String> parts = new ArrayList<>();
        for (BigInteger v : values) {
            parts.add(word(v).substring(2));
        }
        return "0x" + String.join("", parts);
    }
}
