package io.freehold.node.aave;

import io.freehold.contracts.math.aave.AaveBook;
import io.freehold.contracts.math.aave.AaveReserve;
import io.freehold.contracts.math.aave.AaveUserReserve;
import io.freehold.contracts.math.aave.AccountData;
import io.freehold.contracts.math.aave.EModeCategory;
import io.freehold.node.api.StreamConfiguration;
import io.freehold.node.api.StreamFeed;
import io.freehold.node.api.StreamPosition;
import io.freehold.proto.v1.Cursor;
import io.freehold.types.Address;
import io.freehold.types.MarketId;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.micronaut.runtime.event.annotation.EventListener;
import io.micronaut.runtime.server.event.ServerShutdownEvent;
import jakarta.annotation.PreDestroy;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What {@code WatchPositions} publishes on a node following an Aave pool, into a {@link StreamFeed}
 * (the journal, cursors, resume, heartbeats and bounded subscribers of Freehold's stream): after
 * each follower step that applied blocks, an UPDATED event for every account whose own state
 * changed (a reserve's scaled balances or bits, its eMode category) and for every account holding a
 * reserve whose price or configuration changed, or in an eMode category that changed; after a
 * reorg, a RETRACTED event naming the block the book went back to, then the current values of every
 * account the orphaned events had touched or that differs there. Each position is {@link
 * AaveReads#position} at the step's block: {@code GetPosition}'s message, {@code
 * getUserAccountData}'s figures at that block.
 *
 * <p>Interest alone produces no event (it moves every account with a balance every block), as on
 * Freehold; heartbeats carry the cursor, {@code GetPosition} the figures of the head. Finding the
 * accounts compares each account's reserves with the previous step's book: a pass over the accounts
 * per step, no valuation of the unchanged ones.
 */
@Context
@Requires(property = "freehold.node.protocol", value = "aave-v3")
@Requires(property = "freehold.node.follow", notEquals = "false")
public final class AavePositionFeed implements AaveStepListener {

    private final AaveFollowingService following;
    private final AaveReads reads;
    private final StreamFeed feed;
    // The book of the feed's last step: what the next step is compared with, and what a new
    // subscriber's snapshot is of (so it is exactly the state the journal continues from). Set
    // under the feed's lock, with the step's events.
    private volatile AppliedAaveBook previous;

    public AavePositionFeed(
            AaveFollowingService following, AaveReads reads, StreamConfiguration config) {
        this.following = following;
        this.reads = reads;
        this.feed = new StreamFeed(config, "aave-positions");
        following.addListener(this);
        // Steps before the listener was added are in this book (a step after it is heard).
        previous = following.follower().applied().orElse(null);
        feed.started(previous == null ? null : cursor(previous));
    }

    StreamFeed feed() {
        return feed;
    }

    /** On the follower's thread. */
    @Override
    public void applied(AaveFollower.StepResult result, long before, AppliedAaveBook applied) {
        if (applied == null) {
            // A resync: the book reads the market again from the start block. Everything sent is
            // withdrawn; the accounts come again as the book is rebuilt.
            Cursor start = beforeStart(following);
            feed.retract(
                    start, Math.max(0, before - start.getBlockNumber()), (s, t) -> previous = null);
            return;
        }
        AppliedAaveBook was = previous;
        if (result == AaveFollower.StepResult.APPLIED) {
            feed.publish(
                    cursor(applied),
                    step -> {
                        publish(step, changed(was, applied), applied);
                        previous = applied;
                    });
        } else {
            feed.retract(
                    cursor(applied),
                    Math.max(0, before - applied.block().number()),
                    (step, touched) -> {
                        Set<Address> accounts = new LinkedHashSet<>();
                        touched.forEach(k -> accounts.add(k.account()));
                        accounts.addAll(changed(was, applied));
                        publish(step, accounts, applied);
                        previous = applied;
                    });
        }
    }

    /** Every account the book has seen, at the feed's last step, for a new subscriber. */
    StreamFeed.Snapshot snapshot() {
        AppliedAaveBook applied = previous;
        if (applied == null) {
            return new StreamFeed.Snapshot(null, List.of());
        }
        List<StreamPosition> positions = new ArrayList<>();
        for (Address account : applied.book().accounts()) {
            positions.add(position(applied, account));
        }
        return new StreamFeed.Snapshot(cursor(applied), positions);
    }

    /**
     * {@code account} as a snapshot shows it: {@code GetPosition}'s message, and in the snapshot
     * only if {@code GetPosition} answers it (the book has seen it in a reserve).
     */
    StreamPosition position(AppliedAaveBook applied, Address account) {
        AccountData data = applied.accountData(account);
        MarketId market = AaveReads.marketId(following.follower().market().pool());
        return new StreamPosition(
                market,
                account,
                data.totalDebtBase(),
                data.healthFactor(),
                !applied.book().positions(account).isEmpty(),
                () -> reads.position(applied, account, data));
    }

    private void publish(StreamFeed.Step step, Set<Address> accounts, AppliedAaveBook applied) {
        MarketId market = AaveReads.marketId(following.follower().market().pool());
        for (Address account : accounts) {
            if (applied.book().positions(account).isEmpty()) {
                continue; // not a position of this book (GetPosition answers NOT_FOUND)
            }
            AccountData data = applied.accountData(account);
            step.update(
                    reads.position(applied, account, data),
                    new StreamFeed.Key(market, account),
                    data.totalDebtBase(),
                    data.healthFactor());
        }
    }

    /**
     * The accounts of {@code now} whose figures may differ from {@code before}'s for another reason
     * than interest: their own reserves or eMode category, a price or configuration of a reserve
     * they hold, their eMode category's parameters. Every account when there is no {@code before}.
     */
    static Set<Address> changed(AppliedAaveBook before, AppliedAaveBook now) {
        Set<Address> out = new LinkedHashSet<>();
        if (before == null) {
            out.addAll(now.book().accounts());
            return out;
        }
        AaveBook was = before.book();
        AaveBook is = now.book();
        Set<Address> repriced = new HashSet<>();
        for (AaveReserve r : is.reserves().values()) {
            AaveReserve old = was.reserves().get(r.asset());
            if (old == null
                    || !old.configuration().equals(r.configuration())
                    || !Objects.equals(price(was, r.asset()), price(is, r.asset()))) {
                repriced.add(r.asset());
            }
        }
        Map<Integer, EModeCategory> categories = is.eModeCategories();
        for (Address account : is.accounts()) {
            Map<Address, AaveUserReserve> reserves = is.positions(account);
            int category = is.eModeOf(account);
            if (!reserves.equals(was.positions(account))
                    || category != was.eModeOf(account)
                    || (category != 0
                            && !Objects.equals(
                                    categories.get(category), was.eModeCategories().get(category)))
                    || reserves.keySet().stream().anyMatch(repriced::contains)) {
                out.add(account);
            }
        }
        return out;
    }

    /** The oracle's price, or null while the book has none (the figures refuse the same). */
    private static BigInteger price(AaveBook book, Address asset) {
        try {
            return book.price(asset);
        } catch (RuntimeException noPrice) {
            return null;
        }
    }

    /**
     * What a resync retracts to: the block before the market's start block, so everything sent is
     * withdrawn (the accounts come again as the book is rebuilt).
     */
    static Cursor beforeStart(AaveFollowingService following) {
        return Cursor.newBuilder()
                .setBlockNumber(Math.max(0, following.follower().market().startBlock() - 1))
                .build();
    }

    static Cursor cursor(AppliedAaveBook applied) {
        return Cursor.newBuilder()
                .setBlockNumber(applied.block().number())
                .setBlockHash(applied.block().hash().hex())
                .build();
    }

    @EventListener
    void onServerShutdown(ServerShutdownEvent event) {
        feed.closeStreams();
    }

    @PreDestroy
    void stop() {
        feed.stop();
    }
}
