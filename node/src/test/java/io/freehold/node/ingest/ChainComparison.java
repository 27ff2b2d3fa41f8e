package io.freehold.node.ingest;

import io.freehold.contracts.bindings.AuctionStructs;
import io.freehold.contracts.bindings.Deployment;
import io.freehold.contracts.bindings.PoolStructs;
import io.freehold.contracts.generated.AppraisalOracle;
import io.freehold.contracts.generated.DutchAuction;
import io.freehold.contracts.generated.IdentityRegistry;
import io.freehold.contracts.generated.LendingPool;
import io.freehold.contracts.generated.PropertyToken;
import io.freehold.contracts.local.Anvil;
import io.freehold.contracts.local.LocalSystem;
import io.freehold.contracts.math.PoolRent;
import io.freehold.contracts.math.Rent;
import io.freehold.node.state.AuctionRecord;
import io.freehold.node.state.MarketRecord;
import io.freehold.node.state.PositionRecord;
import io.freehold.node.state.PriceFeedRecord;
import io.freehold.node.state.TokenRecord;
import io.freehold.types.Address;
import io.freehold.types.MarketId;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.tx.ReadonlyTransactionManager;
import org.web3j.utils.Numeric;

/**
 * The node's state against the contracts' own views at one block, field by field, to the wei: every
 * market (parameters, and totals accrued to the block's timestamp with the Java replica of the
 * contract's accrual), every position of every account (the stored struct, rent index included),
 * every feed, token flag and rent index, every position's claimable rent (the {@code position}
 * view's), every frozen holder and verified identity.
 */
final class ChainComparison {

    private final Anvil anvil;
    private final Deployment deployment;
    private final List<String> accounts;
    private final List<String> differences = new ArrayList<>();
    private int compared;

    private ChainComparison(Anvil anvil, Deployment deployment, List<String> accounts) {
        this.anvil = anvil;
        this.deployment = deployment;
        this.accounts = accounts;
    }

    /**
     * The differences between {@code state} and the chain at the state's checkpoint; empty when
     * equal.
     */
    static ChainComparison compare(
            Anvil anvil, Deployment deployment, List<String> accounts, ChainState state)
            throws Exception {
        ChainComparison c = new ChainComparison(anvil, deployment, accounts);
        c.run(state);
        return c;
    }

    List<String> differences() {
        return differences;
    }

    /** How many values were compared: a comparison that compared nothing proves nothing. */
    int compared() {
        return compared;
    }

    private void run(ChainState state) throws Exception {
        long block = state.checkpoint().orElseThrow().number();
        long timestamp = state.checkpoint().orElseThrow().timestamp();
        DefaultBlockParameter at = DefaultBlockParameter.valueOf(BigInteger.valueOf(block));
        var reader = new ReadonlyTransactionManager(anvil.web3j(), accounts.get(0));
        LendingPool pool =
                LendingPool.load(deployment.lendingPool(), anvil.web3j(), reader, LocalSystem.GAS);
        pool.setDefaultBlockParameter(at);
        AppraisalOracle oracle =
                AppraisalOracle.load(deployment.oracle(), anvil.web3j(), reader, LocalSystem.GAS);
        oracle.setDefaultBlockParameter(at);
        IdentityRegistry registry =
                IdentityRegistry.load(
                        deployment.identityRegistry(), anvil.web3j(), reader, LocalSystem.GAS);
        registry.setDefaultBlockParameter(at);

        for (Deployment.MarketEntry entry : deployment.markets().values()) {
            MarketId id = MarketId.of(entry.id());
            byte[] rawId = Numeric.hexStringToByteArray(entry.id());
            String where = "market " + entry.name();
            MarketRecord m = state.market(id).orElse(null);
            if (m == null) {
                differences.add(where + ": missing in the node");
                continue;
            }
            LendingPool.MarketParams p = pool.marketParams(rawId).send();
            equal(where + " params", PoolStructs.terms(p), m.params());
            LendingPool.Market chain = pool.market(rawId).send();
            equal(
                    where + " totals at " + timestamp,
                    PoolStructs.market(chain),
                    ContractMath.accruedTo(m, timestamp));

            for (String account : accounts) {
                LendingPool.Position chainPos = pool.positionShares(rawId, account).send();
                PositionRecord nodePos =
                        state.position(id, Address.of(account))
                                .orElse(
                                        new PositionRecord(
                                                id,
                                                Address.of(account),
                                                BigInteger.ZERO,
                                                BigInteger.ZERO,
                                                BigInteger.ZERO,
                                                BigInteger.ZERO,
                                                BigInteger.ZERO));
                String who = where + " position of " + account;
                equal(who + " supplyShares", chainPos.supplyShares, nodePos.supplyShares());
                equal(who + " borrowShares", chainPos.borrowShares, nodePos.borrowShares());
                equal(who + " collateral", chainPos.collateral, nodePos.collateral());
                equal(who + " rentIndexPaid", chainPos.rentIndexPaid, nodePos.rentIndexPaid());
                equal(who + " rentAccrued", chainPos.rentAccrued, nodePos.rentAccrued());
            }

            Address tokenAddress = Address.of(entry.propertyToken());
            PropertyToken token =
                    PropertyToken.load(
                            entry.propertyToken(), anvil.web3j(), reader, LocalSystem.GAS);
            token.setDefaultBlockParameter(at);
            TokenRecord t = state.token(tokenAddress).orElse(null);
            if (t == null) {
                differences.add(where + ": token " + tokenAddress + " missing in the node");
            } else {
                equal(where + " token paused", token.paused().send(), t.paused());
                equal(where + " token rentPerToken", token.rentPerToken().send(), t.rentPerToken());
                equal(
                        where + " pool rentIndex",
                        pool.rentIndex(entry.propertyToken()).send(),
                        t.poolRentIndex());
                equal(
                        where + " pool totalCollateralOf",
                        pool.totalCollateralOf(entry.propertyToken()).send(),
                        t.poolTotalCollateral());
                equal(
                        where + " token claimableRent(pool)",
                        token.claimableRent(deployment.lendingPool()).send(),
                        t.poolPendingRent());
                // Each position's claimable rent, the node's (as its API reports it) against the
                // pool's view.
                PoolRent rent =
                        new PoolRent(
                                t.poolRentIndex(), t.poolTotalCollateral(), t.poolPendingRent());
                for (String account : accounts) {
                    PositionRecord nodePos = state.position(id, Address.of(account)).orElse(null);
                    BigInteger nodeRent =
                            nodePos == null
                                    ? BigInteger.ZERO
                                    : Rent.claimable(rent, nodePos.state());
                    equal(
                            where + " claimableRent of " + account,
                            pool.position(rawId, account).send().claimableRent,
                            nodeRent);
                }
            }
            for (String account : accounts) {
                equal(
                        where + " frozen " + account,
                        token.isFrozen(account).send(),
                        state.isFrozen(tokenAddress, Address.of(account)));
            }
            equal(
                    where + " liquidationTerms",
                    AuctionStructs.liquidationTerms(pool.liquidationTerms(rawId).send()),
                    state.liquidationTerms(id));
            for (String account : accounts) {
                equal(
                        where + " cureFlag of " + account,
                        AuctionStructs.cureFlag(pool.cureFlag(rawId, account).send()),
                        state.cureFlag(id, Address.of(account)));
            }
            equal(
                    where + " appraisalCount",
                    oracle.appraisalCount(entry.propertyToken()).send(),
                    state.priceFeed(tokenAddress)
                            .map(f -> BigInteger.valueOf(f.appraisalCount()))
                            .orElse(BigInteger.ZERO));
            AppraisalOracle.Feed feed = oracle.feed(entry.propertyToken()).send();
            PriceFeedRecord f = state.priceFeed(tokenAddress).orElse(null);
            if (f == null) {
                differences.add(where + ": feed missing in the node");
            } else {
                equal(where + " price", feed.price, f.price());
                equal(where + " updatedAt", feed.updatedAt, BigInteger.valueOf(f.updatedAt()));
                equal(where + " maxAge", feed.maxAge, f.maxAge());
                equal(where + " maxMoveBps", feed.maxMoveBps, BigInteger.valueOf(f.maxMoveBps()));
            }
        }
        compareAuctions(state, reader, at);
        for (String account : accounts) {
            equal(
                    "verified " + account,
                    registry.isVerified(account).send(),
                    state.isVerified(Address.of(account)));
        }
    }

    /**
     * The auction's views: every market's auction parameters and each position's active auction,
     * and every auction ever started, field by field.
     */
    private void compareAuctions(
            ChainState state, ReadonlyTransactionManager reader, DefaultBlockParameter at)
            throws Exception {
        if (deployment.dutchAuction() == null) {
            return;
        }
        DutchAuction auction =
                DutchAuction.load(
                        deployment.dutchAuction(), anvil.web3j(), reader, LocalSystem.GAS);
        auction.setDefaultBlockParameter(at);
        for (Deployment.MarketEntry entry : deployment.markets().values()) {
            MarketId id = MarketId.of(entry.id());
            byte[] rawId = Numeric.hexStringToByteArray(entry.id());
            String where = "market " + entry.name();
            if (state.liquidationTerms(id).isAuction()) {
                equal(
                        where + " auctionParams",
                        AuctionStructs.auctionTerms(auction.auctionParams(rawId).send()),
                        state.auctionTerms(id).orElse(null));
            } else {
                equal(where + " has no auction terms", true, state.auctionTerms(id).isEmpty());
            }
            for (String account : accounts) {
                equal(
                        where + " activeAuction of " + account,
                        auction.activeAuction(rawId, account).send(),
                        state.activeAuction(id, Address.of(account))
                                .map(a -> BigInteger.valueOf(a.auctionId()))
                                .orElse(BigInteger.ZERO));
            }
        }
        long count = auction.auctionCount().send().longValueExact();
        equal("auctionCount", count, state.auctionCount());
        for (long n = 1; n <= count; n++) {
            DutchAuction.Auction chain = auction.auction(BigInteger.valueOf(n)).send();
            AuctionRecord node = state.auction(n).orElse(null);
            if (node == null) {
                differences.add("auction " + n + ": missing in the node");
                continue;
            }
            String where = "auction " + n;
            equal(where + " market", Numeric.toHexString(chain.marketId), node.marketId().hex());
            equal(where + " borrower", Address.of(chain.borrower), node.borrower());
            equal(where + " startedAt", chain.startedAt, BigInteger.valueOf(node.startedAt()));
            equal(where + " restarts", chain.restarts, BigInteger.valueOf(node.restarts()));
            equal(where + " active", chain.active, node.active());
            equal(where + " startPrice", chain.startPrice, node.startPrice());
            equal(where + " floorPrice", chain.floorPrice, node.floorPrice());
        }
    }

    private void equal(String what, Object chain, Object node) {
        compared++;
        if (!Objects.equals(chain, node)) {
            differences.add(what + ": chain " + chain + ", node " + node);
        }
    }
}
