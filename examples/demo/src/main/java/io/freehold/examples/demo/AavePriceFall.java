package io.freehold.examples.demo;

import io.freehold.sdk.AaveLiquidationCall;
import io.freehold.sdk.FreeholdClient;
import io.freehold.sdk.Opportunity;
import io.freehold.sdk.OpportunityEvent;
import io.freehold.sdk.OpportunityQuery;
import io.freehold.sdk.Watch;
import io.freehold.types.Address;
import java.io.PrintStream;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Aave scenario's story: an appraisal lowers the property token's price; the node's
 * opportunities stream (read through the SDK) shows each account that crossed the pool's line with
 * the {@code liquidationCall} it sized; the liquidator acts on each, and the stream says whether
 * the account is done ({@code gone}) or still liquidatable (it then acts again on the new figures).
 */
final class AavePriceFall {

    /** The appraisal: REALT-0412 falls 20 %, from $52.40 to $41.92. */
    static final int FALL_PERCENT = 20;

    /** A liquidation at a 50 % close factor may leave an account below the line: act again. */
    private static final int MAX_ROUNDS_PER_ACCOUNT = 5;

    private static final Duration PATIENCE = Duration.ofSeconds(60);

    /**
     * What happened.
     *
     * @param fallBlock the block of the new price
     * @param crossed the accounts the pool had below a health factor of 1 at that block
     * @param firstSeen each crossed account's first opportunity after the fall, as the node sized
     *     it
     * @param liquidations the pool's {@code LiquidationCall} events, in order
     * @param snapshotOpportunities opportunities before the fall (the stream's snapshot)
     * @param acted each liquidation the demo saw, with the opportunity it was acting on
     */
    record Outcome(
            long fallBlock,
            List<String> crossed,
            Map<Address, Opportunity> firstSeen,
            List<AavePool.LiquidationCall> liquidations,
            long snapshotOpportunities,
            List<Acted> acted) {}

    /** A {@code LiquidationCall} and the opportunity (as the stream last sent it) it answered. */
    record Acted(Opportunity opportunity, AavePool.LiquidationCall call) {}

    private final AavePool pool;
    private final FreeholdClient client;
    private final PrintStream out;
    // What the stream has said about each account: its latest opportunity and at which block, or
    // that it is gone (null) at which block.
    private final Map<Address, Opportunity> latest = new HashMap<>();
    private final Map<Address, Long> latestBlock = new HashMap<>();
    // Each account's first opportunity at the fall's block or later (kept even if the account is
    // liquidated before the demo looks: the node may act in the very next block).
    private final Map<Address, Opportunity> sinceFall = new HashMap<>();
    private long fallBlock = Long.MAX_VALUE;

    private AavePriceFall(AavePool pool, FreeholdClient client, PrintStream out) {
        this.pool = pool;
        this.client = client;
        this.out = out;
    }

    static Outcome play(
            AavePool pool,
            FreeholdClient client,
            List<AaveBorrowers.Borrower> borrowers,
            AaveLiquidator liquidator,
            PrintStream out,
            Runnable liquidationStep)
            throws Exception {
        return new AavePriceFall(pool, client, out).run(borrowers, liquidator, liquidationStep);
    }

    private Outcome run(
            List<AaveBorrowers.Borrower> borrowers,
            AaveLiquidator liquidator,
            Runnable liquidationStep)
            throws Exception {
        try (Watch<OpportunityEvent> watch =
                client.liquidations().watchOpportunities(OpportunityQuery.liquidatable())) {
            long snapshot = awaitInSync(watch);
            out.printf(
                    "      the opportunities stream (SDK, health factor below 1): %d before the fall%n",
                    snapshot);
            BigInteger before = AaveDemo.PROPERTY_PRICE;
            BigInteger after =
                    before.multiply(BigInteger.valueOf(100 - FALL_PERCENT))
                            .divide(BigInteger.valueOf(100));
            pool.setRealtPrice(after);
            fallBlock = pool.head();
            out.printf(
                    "      REALT-0412 appraised %s -> %s (-%d%%): the oracle's new source, block %d%n",
                    Money.base(before), Money.base(after), FALL_PERCENT, fallBlock);

            List<String> crossed = new ArrayList<>();
            for (AaveBorrowers.Borrower b : borrowers) {
                if (pool.accountData(b.address(), fallBlock).healthFactor().compareTo(AaveDemo.WAD)
                        < 0) {
                    crossed.add(b.address());
                }
            }
            Map<Address, Opportunity> firstSeen = new LinkedHashMap<>();
            for (String account : crossed) {
                Address a = Address.of(account);
                Opportunity o = awaitOpportunity(watch, a, fallBlock);
                firstSeen.put(a, o);
            }
            out.printf(
                    "      the stream showed %d accounts crossing the line (the pool has %d below 1 at block %d):%n",
                    firstSeen.size(), crossed.size(), fallBlock);
            List<Opportunity> sorted =
                    firstSeen.values().stream()
                            .sorted(Comparator.comparing(o -> o.position().healthFactor()))
                            .toList();
            for (Opportunity o : sorted) {
                out.println("      " + describe(o));
            }

            liquidationStep.run();
            List<Acted> acted = new ArrayList<>();
            for (Opportunity first : sorted) {
                Address account = first.position().account();
                // The bot acts on the newest figures the stream sent; the node acts by itself
                // and the demo waits for its call either way.
                Opportunity o = latest.get(account) == null ? first : latest.get(account);
                for (int round = 1; o != null && round <= MAX_ROUNDS_PER_ACCOUNT; round++) {
                    AavePool.LiquidationCall call = liquidator.liquidate(o);
                    acted.add(new Acted(o, call));
                    o = awaitAfter(watch, account, call.block());
                    out.printf(
                            "      %s repaid %s, took %s in block %d: %s%n",
                            Money.shortAddress(account.toChecksumHex()),
                            Money.dollars(call.debtToCover()),
                            Money.tokens(call.liquidatedCollateral()),
                            call.block(),
                            o == null
                                    ? "gone from the stream"
                                    : "still below 1 (health "
                                            + o.position().healthFactor()
                                            + "), again");
                }
            }
            // What the pool did, from its events: the node may liquidate an account twice before
            // the stream's report of the first call is read.
            return new Outcome(
                    fallBlock,
                    crossed,
                    firstSeen,
                    pool.liquidationCalls(fallBlock, null),
                    snapshot,
                    acted);
        }
    }

    static String describe(Opportunity o) {
        AaveLiquidationCall call = o.aave().orElseThrow();
        return String.format(
                "%s  health %s  close factor %s  repay up to %s  for %s  (incentive %s)%s",
                Money.shortAddress(o.position().account().toChecksumHex()),
                Money.ratio(o.position().healthFactor().toWad().raw()),
                call.closeFactor(),
                Money.dollars(o.maxRepay()),
                Money.tokens(o.seizedCollateral()),
                Money.dollars(o.expectedIncentive()),
                o.nodeWillAct() ? "  the node will act" : "");
    }

    private long awaitInSync(Watch<OpportunityEvent> watch) {
        long giveUp = System.nanoTime() + PATIENCE.toNanos();
        while (System.nanoTime() < giveUp) {
            var e = watch.poll(Duration.ofMillis(200));
            if (e.isPresent()) {
                record(e.get());
                if (e.get() instanceof OpportunityEvent.InSync s) {
                    return s.opportunities();
                }
            }
        }
        throw new IllegalStateException("the opportunities stream sent no snapshot in a minute");
    }

    /** The account's opportunity at {@code block} or later. */
    private Opportunity awaitOpportunity(
            Watch<OpportunityEvent> watch, Address account, long block) {
        long giveUp = System.nanoTime() + PATIENCE.toNanos();
        while (System.nanoTime() < giveUp) {
            if (latestBlock.getOrDefault(account, -1L) >= block && latest.get(account) != null) {
                return latest.get(account);
            }
            watch.poll(Duration.ofMillis(200)).ifPresent(this::record);
        }
        throw new IllegalStateException(
                "the node sent no opportunity for "
                        + account
                        + " within a minute of block "
                        + block
                        + "; its log says why");
    }

    /**
     * What the stream says of {@code account} at {@code block} or later: its new opportunity, or
     * null when it is gone.
     */
    private Opportunity awaitAfter(Watch<OpportunityEvent> watch, Address account, long block) {
        long giveUp = System.nanoTime() + PATIENCE.toNanos();
        while (System.nanoTime() < giveUp) {
            if (latestBlock.getOrDefault(account, -1L) >= block) {
                return latest.get(account);
            }
            watch.poll(Duration.ofMillis(200)).ifPresent(this::record);
        }
        throw new IllegalStateException(
                "the node said nothing of "
                        + account
                        + " within a minute of block "
                        + block
                        + "; its log says why");
    }

    private void record(OpportunityEvent e) {
        if (e instanceof OpportunityEvent.Snapshot s) {
            keep(s.opportunity(), s.cursor().blockNumber());
        } else if (e instanceof OpportunityEvent.Changed c) {
            keep(c.opportunity(), c.cursor().blockNumber());
        } else if (e instanceof OpportunityEvent.Gone g) {
            latest.put(g.account(), null);
            latestBlock.put(g.account(), g.cursor().blockNumber());
        } else if (e instanceof OpportunityEvent.Retracted) {
            // A local chain with automine does not reorg; were it to, the accounts below the line
            // after the reorg are sent again and overwrite what is kept here.
        }
    }

    private void keep(Opportunity o, long block) {
        latest.put(o.position().account(), o);
        latestBlock.put(o.position().account(), block);
        if (block >= fallBlock) {
            sinceFall.putIfAbsent(o.position().account(), o);
        }
    }
}
