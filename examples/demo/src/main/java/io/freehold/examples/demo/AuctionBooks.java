package io.freehold.examples.demo;

import io.freehold.contracts.bindings.Deployment;
import io.freehold.contracts.generated.DutchAuction;
import io.freehold.contracts.generated.LendingPool;
import io.freehold.contracts.local.Anvil;
import io.freehold.contracts.local.LocalSystem;
import io.freehold.sdk.Actionability;
import io.freehold.sdk.Auction;
import io.freehold.sdk.FreeholdClient;
import io.freehold.sdk.Position;
import io.freehold.sdk.PositionQuery;
import io.freehold.types.MarketId;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.tx.ReadonlyTransactionManager;
import org.web3j.utils.Numeric;

/**
 * Do the node's cure flags and auctions agree with the contracts'? Every position the node serves
 * on the auction market, at the node's applied block, against the pool's {@code cureFlag} and
 * {@code isLiquidatable} and the auction's {@code activeAuction} and {@code auction(id)} (and its
 * {@code priceAt} the block's timestamp): the flag's time, the auction lock, whether the pool would
 * act, the auction's id, start, restarts, prices, lot and tab, to the wei and the second.
 */
final class AuctionBooks {

    /**
     * The outcome: how many positions and active auctions were compared, and each difference found.
     */
    record Reconciliation(long block, int positions, int auctions, List<String> differences) {
        boolean reconciles() {
            return differences.isEmpty();
        }
    }

    private AuctionBooks() {}

    static Reconciliation reconcile(FreeholdClient node, Anvil anvil, Deployment deployment)
            throws Exception {
        long block = node.status().appliedBlock();
        DefaultBlockParameter at = DefaultBlockParameter.valueOf(BigInteger.valueOf(block));
        var reader = new ReadonlyTransactionManager(anvil.web3j(), deployment.accounts().admin());
        LendingPool pool =
                LendingPool.load(deployment.lendingPool(), anvil.web3j(), reader, LocalSystem.GAS);
        pool.setDefaultBlockParameter(at);
        DutchAuction auction =
                DutchAuction.load(
                        deployment.dutchAuction(), anvil.web3j(), reader, LocalSystem.GAS);
        auction.setDefaultBlockParameter(at);
        long timestamp =
                anvil.web3j()
                        .ethGetBlockByNumber(at, false)
                        .send()
                        .getBlock()
                        .getTimestamp()
                        .longValueExact();

        MarketId market = MarketId.of(deployment.market(LocalSystem.AUCTION_PROPERTY.id()).id());
        byte[] id = Numeric.hexStringToByteArray(market.toString());
        List<String> differences = new ArrayList<>();
        List<Position> served;
        try (var s = node.positions(PositionQuery.builder().market(market).build())) {
            served = s.toList();
        }
        int auctions = 0;
        for (Position p : served) {
            String who = p.account() + " in " + LocalSystem.AUCTION_PROPERTY.id();
            if (p.asOf().blockNumber() != block) {
                differences.add(
                        who + ": valued at block " + p.asOf().blockNumber() + ", not " + block);
                continue;
            }
            Actionability a = p.actionability();
            String account = p.account().toString();
            LendingPool.CureFlag flag = pool.cureFlag(id, account).send();
            compare(
                    differences,
                    who + " cure flag's time",
                    a.cureFlaggedAt()
                            .map(t -> BigInteger.valueOf(t.getEpochSecond()))
                            .orElse(BigInteger.ZERO),
                    flag.flaggedAt);
            compare(differences, who + " in auction", a.inAuction(), flag.inAuction);
            compare(
                    differences,
                    who + " actionable",
                    a.actionable(),
                    pool.isLiquidatable(id, account).send());
            BigInteger active = auction.activeAuction(id, account).send();
            compare(
                    differences,
                    who + " active auction",
                    a.auction().map(x -> BigInteger.valueOf(x.auctionId())).orElse(BigInteger.ZERO),
                    active);
            if (a.auction().isEmpty() || active.signum() == 0) {
                continue;
            }
            auctions++;
            Auction atNode = a.auction().get();
            DutchAuction.Auction chain = auction.auction(active).send();
            LendingPool.PositionView v = pool.position(id, account).send();
            String what = who + " auction " + active;
            compare(differences, what + " active", true, chain.active);
            compare(
                    differences,
                    what + " started at",
                    BigInteger.valueOf(atNode.startedAt().getEpochSecond()),
                    chain.startedAt);
            compare(
                    differences,
                    what + " restarts",
                    BigInteger.valueOf(atNode.restarts()),
                    chain.restarts);
            compare(differences, what + " start price", atNode.startPrice(), chain.startPrice);
            compare(differences, what + " floor price", atNode.floorPrice(), chain.floorPrice);
            compare(differences, what + " lot left", atNode.lotLeft(), v.collateral);
            compare(differences, what + " tab left", atNode.tabLeft(), v.debt);
            if (atNode.currentPrice().isPresent()) {
                compare(
                        differences,
                        what + " price now",
                        atNode.currentPrice().get(),
                        auction.priceAt(active, BigInteger.valueOf(timestamp)).send());
            }
        }
        return new Reconciliation(block, served.size(), auctions, differences);
    }

    private static void compare(List<String> differences, String what, Object node, Object chain) {
        if (!Objects.equals(node, chain)) {
            differences.add(what + ": node " + node + ", chain " + chain);
        }
    }
}
