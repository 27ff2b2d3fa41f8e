package io.freehold.sdk.onchain;

import io.freehold.contracts.bindings.PoolViews;
import io.freehold.contracts.bindings.TokenViews;
import io.freehold.contracts.bindings.ViewCall;
import io.freehold.contracts.generated.LendingPool;
import io.freehold.contracts.generated.MockStablecoin;
import io.freehold.contracts.math.Appraisal;
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
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.tx.ReadonlyTransactionManager;
import org.web3j.tx.gas.DefaultGasProvider;
import org.web3j.utils.Numeric;

/**
 * The pool's, oracle's and tokens' views, each read at one pinned block: encoded and decoded by the
 * bindings' {@link PoolViews} and {@link TokenViews} (the node reads through the same), sent with
 * the caller's web3j. Not API.
 */
final class PoolReader {

    /**
     * The storage slot of the pool's {@code _markets} mapping ({@code forge inspect LendingPool
     * storageLayout}). The stored market is read from storage because no view returns it
     * un-accrued; {@link #storedMarket} checks the result against the {@code market(id)} view, so a
     * pool with another layout is refused rather than misread.
     */
    static final BigInteger MARKETS_SLOT = BigInteger.valueOf(3);

    /** Reads that need no pinned block: fixed values, or what a transaction is about to need. */
    private static final DefaultBlockParameter LATEST = DefaultBlockParameterName.LATEST;

    private final JsonRpc rpc;
    private final Address pool;
    private final Address caller;
    private final Map<Address, Integer> decimals = new ConcurrentHashMap<>();

    PoolReader(JsonRpc rpc, Address pool, Address caller) {
        this.rpc = rpc;
        this.pool = pool;
        this.caller = caller;
    }

    MarketTerms terms(MarketId id, long block) {
        return read(pool, PoolViews.marketParams(id), block);
    }

    /** The {@code market(id)} view: the totals accrued to the block's timestamp. */
    MarketState accruedMarket(MarketId id, long block) {
        return read(pool, PoolViews.market(id), block);
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
        return read(pool, PoolViews.positionShares(id, account), block);
    }

    /** The {@code position(id, account)} view. */
    LendingPool.PositionView positionView(MarketId id, Address account, long block) {
        return read(pool, PoolViews.position(id, account), block);
    }

    Appraisal appraisal(MarketTerms terms, long block) {
        return read(terms.oracle(), PoolViews.feed(terms.collateralToken()), block);
    }

    /**
     * The pool's rent bookkeeping for the market's property token: {@code rentIndex(token)}, {@code
     * totalCollateralOf(token)} and the token's {@code claimableRent(pool)}.
     */
    PoolRent rent(MarketTerms terms, long block) {
        Address token = terms.collateralToken();
        return new PoolRent(
                read(pool, PoolViews.rentIndex(token), block),
                read(pool, PoolViews.totalCollateralOf(token), block),
                read(token, TokenViews.claimableRent(pool), block));
    }

    /** The property token's {@code rentToken()}: fixed at deployment. */
    Address rentToken(MarketTerms terms, long block) {
        return read(terms.collateralToken(), TokenViews.rentToken(), block);
    }

    /** An ERC-20's {@code decimals()}; it never changes, so it is read once per token. */
    int decimals(Address token) {
        return decimals.computeIfAbsent(token, t -> read(t, TokenViews.decimals(), LATEST));
    }

    BigInteger allowance(Address token, Address owner, Address spender) {
        return read(token, TokenViews.allowance(owner, spender), LATEST);
    }

    /** Any ERC-20 through the stablecoin mock's wrapper, whose ABI has the standard functions. */
    MockStablecoin erc20(Address token) {
        return MockStablecoin.load(
                token.toLowerCaseHex(),
                rpc.web3j(),
                new ReadonlyTransactionManager(rpc.web3j(), caller.toLowerCaseHex()),
                new DefaultGasProvider());
    }

    /**
     * {@code view} of {@code contract} at {@code block}: encoded and decoded by the bindings (as
     * the node's reads are), sent with the caller's web3j.
     */
    <T> T read(Address contract, ViewCall<T> view, long block) {
        return read(contract, view, DefaultBlockParameter.valueOf(BigInteger.valueOf(block)));
    }

    private <T> T read(Address contract, ViewCall<T> view, DefaultBlockParameter block) {
        JsonRpc.CallResult answer;
        try {
            answer = rpc.call(caller, contract, view.data(), block);
        } catch (OnchainException e) {
            throw new OnchainException("reading " + view.name() + " failed: " + e.getMessage(), e);
        }
        if (answer.reverted()) {
            throw new OnchainException(
                    "reading " + view.name() + " failed: it reverted with " + answer.revert(),
                    null);
        }
        try {
            return view.decode(answer.value());
        } catch (IllegalArgumentException e) {
            throw new OnchainException("reading " + view.name() + " failed: " + e.getMessage(), e);
        }
    }
}
