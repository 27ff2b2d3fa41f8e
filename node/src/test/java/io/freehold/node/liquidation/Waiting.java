package io.freehold.node.liquidation;

import io.freehold.node.liquidation.attempts.Attempt;
import io.freehold.node.liquidation.attempts.AttemptStatus;
import io.freehold.node.liquidation.attempts.AttemptStore;
import io.freehold.proto.v1.GetPositionRequest;
import io.freehold.proto.v1.Position;
import io.freehold.proto.v1.PositionServiceGrpc;
import io.freehold.types.Address;
import io.freehold.types.MarketId;
import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.ApplicationContext;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * How the liquidation tests wait: for a condition, never for a time. Each poll is short; the
 * deadline only bounds how long a broken run takes to say so.
 */
final class Waiting {

    private Waiting() {}

    /** Polls {@code check} until it has a value. */
    static <T> T until(Duration deadline, Supplier<Optional<T>> check) throws InterruptedException {
        long giveUp = System.nanoTime() + deadline.toNanos();
        while (System.nanoTime() < giveUp) {
            Optional<T> value = check.get();
            if (value.isPresent()) {
                return value.get();
            }
            Thread.sleep(50);
        }
        throw new AssertionError("not within " + deadline);
    }

    /**
     * As {@link #until}, mining a block each time round: an attempt is MINED only once its block is
     * final (the node's confirmations), and on an automining chain nothing else makes blocks.
     */
    static <T> T mining(LiquidationChain chain, Duration deadline, Supplier<Optional<T>> check)
            throws Exception {
        long giveUp = System.nanoTime() + deadline.toNanos();
        while (System.nanoTime() < giveUp) {
            Optional<T> value = check.get();
            if (value.isPresent()) {
                return value.get();
            }
            chain.mine();
            Thread.sleep(50);
        }
        throw new AssertionError("not within " + deadline);
    }

    /**
     * The position's MINED attempt, wherever it is in the history: right after a liquidation the
     * executor may still see the position (the follower has not applied the block yet) and record a
     * "healthy" skip after it, so the newest attempt is not the one to look at.
     */
    static Optional<Attempt> minedAttempt(AttemptStore store, MarketId market, Address borrower) {
        return store.history(market, borrower).stream()
                .filter(a -> a.status() == AttemptStatus.MINED)
                .findFirst();
    }

    /**
     * Waits until every meter registry of the node counts {@code count} on {@code counter}. The
     * inclusion tracker records an attempt as MINED and then counts it, a few instructions later on
     * its own thread: a test that saw the attempt must still wait for the count.
     */
    static void counted(ApplicationContext context, String counter, long count, Duration deadline)
            throws InterruptedException {
        for (MeterRegistry registry : context.getBeansOfType(MeterRegistry.class)) {
            until(
                    deadline,
                    () ->
                            Optional.of(registry)
                                    .filter(
                                            r ->
                                                    r.get(counter).functionCounter().count()
                                                            >= count));
        }
    }

    /**
     * The position as the node values it at block {@code block} or later. Until the node has
     * applied the block that opened the position it answers NOT_FOUND (UNKNOWN_POSITION): for a
     * test that has just written to the chain that is "not yet", not an answer.
     */
    static Position position(Channel channel, MarketId market, Address account, long block)
            throws InterruptedException {
        return until(
                Duration.ofMinutes(2),
                () -> {
                    try {
                        return Optional.of(
                                        PositionServiceGrpc.newBlockingStub(channel)
                                                .withDeadlineAfter(5, TimeUnit.SECONDS)
                                                .getPosition(
                                                        GetPositionRequest.newBuilder()
                                                                .setMarketId(market.hex())
                                                                .setAccount(account.hex())
                                                                .build()))
                                .filter(p -> p.getAsOf().getBlockNumber() >= block);
                    } catch (StatusRuntimeException e) {
                        if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
                            return Optional.empty();
                        }
                        throw e;
                    }
                });
    }
}
