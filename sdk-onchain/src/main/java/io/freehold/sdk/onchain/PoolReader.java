package io.freehold.sdk.onchain;

import io.freehold.contracts.bindings.PoolStructs;
import io.freehold.contracts.generated.AppraisalOracle;
import io.freehold.contracts.generated.LendingPool;
import io.freehold.contracts.generated.MockStablecoin;
import io.freehold.contracts.generated.PropertyToken;
import io.freehold.contracts.math.MarketState;
import io.freehold.contracts.math.MarketTerms;
import io.freehold.contracts.math.PoolRent;
import io.freehold.contracts.math.PositionState;
import io.freehold.types.Address;
import io.freehold.types.MarketId;
import java.math.BigInteger;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.web3j.abi.TypeEncoder;
import org.web3j.abi.datatypes.generated.Bytes32;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.crypto.Hash;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.RemoteFunctionCall;
import org.web3j.tx.ReadonlyTransactionManager;
import org.web3j.tx.gas.DefaultGasProvider;
import org.web3j.utils.Numeric;

/** The pool's, oracle's and tokens' views, each read at one pinned block. Not API. */
final class PoolReader {

    /**
     * The storage slot of the pool's {@code _markets} mapping ({@code forge inspect LendingPool
     * storageLayout}). The stored market is read from storage because no view returns it
     * un-accrued; {@link #storedMarket} checks the result against the {@code market(id)} view, so a
     * pool with another layout is refused rather than misread.
     */
    static final BigInteger MARKETS_SLOT = BigInteger.valueOf(3);

    private final JsonRpc rpc;
    private final Address pool;
    private final Address caller;
    private final Map<Address, Integer> decimals = new ConcurrentHashMap<>();

    PoolReader(JsonRpc rpc, Address pool, Address caller) {
        this.rpc = rpc;
        this.pool = pool;
        this.caller = caller;
    }

    LendingPool pool(long block) {
        LendingPool p =
                LendingPool.load(
                        pool.toLowerCaseHex(),
                        rpc.web3j(),
                        new ReadonlyTransactionManager(rpc.web3j(), caller.toLowerCaseHex()),
                        new DefaultGasProvider());
        p.setDefaultBlockParameter(DefaultBlockParameter.valueOf(BigInteger.valueOf(block)));
        return p;
    }

    MarketTerms terms(MarketId id, long block) {
        return PoolStructs.terms(read(pool(block).marketParams(id.toBytes()), "marketParams"));
    }

    /** The {@code market(id)} view: the totals accrued to the block's timestamp. */
    MarketState accruedMarket(MarketId id, long block) {
        return PoolStructs.market(read(pool(block).market(id.toBytes()), "market"));
    }

    /** The market as stored, accrued to its own {@code lastUpdate}; checked against the view. */
    MarketState storedMarket(MarketId id, MarketTerms terms, long block, long timestamp) {
        String key =
                TypeEncoder.encode(new Bytes32(id.toBytes()))
                        + TypeEncoder.encode(new Uint256(MARKETS_SLOT));
        BigInteger base = Numeric.toBigInt(Hash.sha3(Numeric.hexStringToByteArray(key)));
        BigInteger[] words = new BigInteger[6];
        for (int i = 0; i < words.length; i++) {
            words[i] = rpc.storageAt(pool, base.add(BigInteger.valueOf(i)), block);
        }
        MarketState stored;
        MarketState view = accruedMarket(id, block);
        try {
            stored =
                    new MarketState(
                            words[0],
                            words[1],
                            words[2],
                            words[3],
                            words[4],
                            words[5].longValueExact());
            if (stored.accrueTo(terms, timestamp).market().equals(view)) {
                return stored;
            }
        } catch (RuntimeException mismatch) {
            // falls through to the refusal below: the words are not a Market
        }
        throw new OnchainException(
                "the pool at "
                        + pool
                        + " does not keep its markets where this SDK reads them "
                        + "(storage slot "
                        + MARKETS_SLOT
                        + "): its stored market, accrued to block "
                        + block
                        + ", does not equal its market(id) view; is it another version of LendingPool?",
                null);
    }

    PositionState position(MarketId id, Address account, long block) {
        return PoolStructs.position(
                read(
                        pool(block).positionShares(id.toBytes(), account.toLowerCaseHex()),
                        "positionShares"));
    }

    /** The {@code position(id, account)} view. */
    LendingPool.PositionView positionView(MarketId id, Address account, long block) {
        return read(pool(block).position(id.toBytes(), account.toLowerCaseHex()), "position");
    }

    Appraisal appraisal(MarketTerms terms, long block) {
        AppraisalOracle oracle =
                AppraisalOracle.load(
                        terms.oracle().hex(),
                        rpc.web3j(),
                        new ReadonlyTransactionManager(rpc.web3j(), caller.toLowerCaseHex()),
                        new DefaultGasProvider());
        oracle.setDefaultBlockParameter(DefaultBlockParameter.valueOf(BigInteger.valueOf(block)));
        AppraisalOracle.Feed feed = read(oracle.feed(terms.collateralToken().hex()), "feed");
        return new Appraisal(feed.price, feed.updatedAt.longValueExact(), feed.maxAge);
    }

    /**
     * The pool's rent bookkeeping for the market's property token: {@code rentIndex(token)}, {@code
     * totalCollateralOf(token)} and the token's {@code claimableRent(pool)}.
     */
    PoolRent rent(MarketTerms terms, long block) {
        LendingPool p = pool(block);
        String token = terms.collateralToken().hex();
        return new PoolRent(
                read(p.rentIndex(token), "rentIndex"),
                read(p.totalCollateralOf(token), "totalCollateralOf"),
                read(propertyToken(token, block).claimableRent(pool.hex()), "claimableRent"));
    }

    /** The property token's {@code rentToken()}: fixed at deployment. */
    Address rentToken(MarketTerms terms, long block) {
        return Address.of(
                read(propertyToken(terms.collateralToken().hex(), block).rentToken(), "rentToken"));
    }

    private PropertyToken propertyToken(String token, long block) {
        PropertyToken t =
                PropertyToken.load(
                        token,
                        rpc.web3j(),
                        new ReadonlyTransactionManager(rpc.web3j(), caller.toLowerCaseHex()),
                        new DefaultGasProvider());
        t.setDefaultBlockParameter(DefaultBlockParameter.valueOf(BigInteger.valueOf(block)));
        return t;
    }

    /** An ERC-20's {@code decimals()}; it never changes, so it is read once per token. */
    int decimals(Address token) {
        return decimals.computeIfAbsent(
                token, t -> read(erc20(t).decimals(), "decimals").intValueExact());
    }

    BigInteger allowance(Address token, Address owner, Address spender) {
        return read(
                erc20(token).allowance(owner.toLowerCaseHex(), spender.toLowerCaseHex()),
                "allowance");
    }

    /** Any ERC-20 through the stablecoin mock's wrapper, whose ABI has the standard functions. */
    MockStablecoin erc20(Address token) {
        return MockStablecoin.load(
                token.toLowerCaseHex(),
                rpc.web3j(),
                new ReadonlyTransactionManager(rpc.web3j(), caller.toLowerCaseHex()),
                new DefaultGasProvider());
    }

    private <T> T read(RemoteFunctionCall<T> call, String view) {
        try {
            return call.send();
        } catch (Exception e) {
            throw new OnchainException("reading " + view + " failed: " + e.getMessage(), e);
        }
    }
}
