package io.freehold.examples.demo;

import io.freehold.contracts.bindings.Deployment;
import io.freehold.contracts.generated.AppraisalOracle;
import io.freehold.contracts.local.Anvil;
import io.freehold.contracts.local.LocalSystem;
import io.freehold.sdk.FreeholdClient;
import io.freehold.sdk.Liquidation;
import io.freehold.sdk.LiquidationAttempt;
import io.freehold.sdk.LiquidationQuery;
import io.freehold.sdk.OpportunityEvent;
import io.freehold.sdk.OpportunityQuery;
import io.freehold.sdk.PositionQuery;
import io.freehold.sdk.Subscription;
import io.freehold.sdk.Wad;
import java.io.PrintStream;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The scenario: appraisals fall (a comparable sold far below), the chain moves to one-second blocks
 * so "next block" means something, and the demo watches — as a bot would, through the SDK — the
 * positions of the fixed-incentive markets cross the line and the node liquidate them, until
 * nothing liquidatable is left there. The auction market's appraisal falls in the same moment; what
 * follows there takes a cure window and hours of auction, and is {@link CureAndAuction}'s.
 */
final class PriceFall {

    /** One property's new appraisal, in US cents per whole token. */
    record Fall(String propertyId, long fromCents, long toCents) {}

    /**
     * What happened: the block each property's price fell in, how many positions the opportunities
     * stream showed crossing the line, the liquidations that followed, and what was left
     * liquidatable.
     */
    record Outcome(
            Map<String, Long> fallBlocks,
            int crossed,
            List<Liquidation> liquidations,
            int stillLiquidatable) {

        /**
         * Blocks from the fall of the liquidated position's property to the liquidation: 1 = the
         * next block.
         */
        long blocksAfterFall(Deployment deployment, Liquidation l) {
            return l.blockNumber() - fallBlocks.get(property(deployment, l));
        }

        long lastFallBlock() {
            return fallBlocks.values().stream().mapToLong(Long::longValue).max().orElse(0);
        }
    }

    private static final Duration GIVE_UP = Duration.ofSeconds(120);

    private PriceFall() {}

    /** DET falls 25%, CLE 20%, the auction market's PIT 20%; MEM holds. */
    static List<Fall> falls(Deployment deployment) {
        List<Fall> falls = new ArrayList<>();
        List<LocalSystem.Property> properties = new ArrayList<>(LocalSystem.PROPERTIES);
        if (deployment.markets().containsKey(LocalSystem.AUCTION_PROPERTY.id())) {
            properties.add(LocalSystem.AUCTION_PROPERTY);
        }
        for (LocalSystem.Property p : properties) {
            int percent =
                    switch (p.id()) {
                        case "FH-DET-0412" -> 25;
                        case "FH-CLE-1177", "FH-PIT-0318" -> 20;
                        default -> 0;
                    };
            if (percent > 0) {
                falls.add(new Fall(p.id(), p.priceCents(), p.priceCents() * (100 - percent) / 100));
            }
        }
        return falls;
    }

    static Outcome play(Anvil anvil, Deployment deployment, FreeholdClient node, PrintStream out)
            throws Exception {
        // A bot's view of the same thing: the opportunities stream, open before the fall.
        Set<String> crossed = ConcurrentHashMap.newKeySet();
        try (Subscription watch =
                node.liquidations()
                        .watchOpportunities(
                                OpportunityQuery.liquidatable(),
                                null,
                                e -> {
                                    if (e instanceof OpportunityEvent.Changed c
                                            && c.opportunity().liquidatable()
                                            && fixedIncentive(
                                                    deployment,
                                                    c.opportunity().position().marketId())) {
                                        crossed.add(
                                                c.opportunity().position().marketId()
                                                        + "/"
                                                        + c.opportunity().position().account());
                                    }
                                })) {
            new AnvilControl(anvil).intervalMining(1);
            AppraisalOracle oracle =
                    AppraisalOracle.load(
                            deployment.oracle(),
                            anvil.web3j(),
                            anvil.transactionManager(anvil.credentials(0)),
                            LocalSystem.GAS);
            Map<String, Long> fallBlocks = new LinkedHashMap<>();
            for (Fall f : falls(deployment)) {
                var receipt =
                        oracle.forceAppraisal(
                                        deployment.market(f.propertyId()).propertyToken(),
                                        LocalSystem.priceOfCents(f.toCents()),
                                        "demo: a comparable sold far below")
                                .send();
                fallBlocks.put(f.propertyId(), receipt.getBlockNumber().longValueExact());
                out.printf(
                        "      %s  %s -> %s per token (%d%%), block %d%n",
                        f.propertyId(),
                        Money.pricePerToken(LocalSystem.priceOfCents(f.fromCents())),
                        Money.pricePerToken(LocalSystem.priceOfCents(f.toCents())),
                        Math.round(100.0 * (f.toCents() - f.fromCents()) / f.fromCents()),
                        receipt.getBlockNumber());
            }
            out.println(
                    "      one-second blocks from here; the node follows, finds the positions of the"
                            + " fixed-incentive markets that crossed the line and liquidates them:");
            Map<String, Liquidation> seen = new LinkedHashMap<>();
            long giveUp = System.nanoTime() + GIVE_UP.toNanos();
            int quietRounds = 0;
            while (System.nanoTime() < giveUp) {
                for (Liquidation l :
                        reversed(node.liquidations().list(LiquidationQuery.all()).toList())) {
                    if (!fixedIncentive(deployment, l.marketId())) {
                        continue;
                    }
                    if (seen.putIfAbsent(l.transactionHash(), l) == null) {
                        out.printf(
                                "      liquidated %s in %s: repaid %s, seized %s, block %d (fall + %d)%n",
                                Money.shortAddress(l.borrower().toChecksumHex()),
                                property(deployment, l),
                                Money.dollars(l.repaidAssets()),
                                Money.tokens(l.seizedCollateral()),
                                l.blockNumber(),
                                l.blockNumber() - fallBlocks.get(property(deployment, l)));
                    }
                }
                long lastFall =
                        fallBlocks.values().stream().mapToLong(Long::longValue).max().orElse(0);
                boolean settled =
                        node.status().appliedBlock() > lastFall + 2
                                && liquidatable(node, deployment) == 0
                                && inFlight(node) == 0;
                quietRounds = settled ? quietRounds + 1 : 0;
                if (quietRounds >= 3) {
                    break;
                }
                Thread.sleep(300);
            }
            return new Outcome(
                    fallBlocks,
                    crossed.size(),
                    new ArrayList<>(seen.values()),
                    liquidatable(node, deployment));
        }
    }

    static String property(Deployment deployment, Liquidation l) {
        return deployment.markets().entrySet().stream()
                .filter(e -> e.getValue().id().equalsIgnoreCase(l.marketId().toString()))
                .map(Map.Entry::getKey)
                .findFirst()
                .orElse(l.marketId().toString());
    }

    /**
     * Whether {@code market} is one of the three fixed-incentive markets (the auction market's
     * crossings wait out a cure window instead: they are not this scenario's).
     */
    static boolean fixedIncentive(Deployment deployment, io.freehold.types.MarketId market) {
        Deployment.MarketEntry auction =
                deployment.markets().get(LocalSystem.AUCTION_PROPERTY.id());
        return auction == null || !auction.id().equalsIgnoreCase(market.toString());
    }

    private static int liquidatable(FreeholdClient node, Deployment deployment) {
        return (int)
                node.positions(PositionQuery.builder().healthFactorBelow(Wad.ONE).build())
                        .filter(p -> !p.marketFlagged() && fixedIncentive(deployment, p.marketId()))
                        .count();
    }

    private static long inFlight(FreeholdClient node) {
        return node.liquidations()
                .attempts(LiquidationQuery.all())
                .filter(a -> a.status() == LiquidationAttempt.Status.IN_FLIGHT)
                .count();
    }

    private static <T> List<T> reversed(List<T> newestFirst) {
        List<T> oldestFirst = new ArrayList<>(newestFirst);
        java.util.Collections.reverse(oldestFirst);
        return oldestFirst;
    }

    static BigInteger badDebt(List<Liquidation> liquidations) {
        return liquidations.stream()
                .map(Liquidation::badDebtAssets)
                .reduce(BigInteger.ZERO, BigInteger::add);
    }
}
