package io.freehold.node.api;

import io.freehold.proto.v1.Position;
import io.freehold.types.Address;
import io.freehold.types.MarketId;
import java.math.BigInteger;
import java.util.function.Supplier;

/**
 * A position as the watch streams see it in a snapshot, whatever the protocol: what the filters
 * look at, and its message as {@code GetPosition} serves it, made only for the subscribers that
 * send it (a snapshot of a filtered stream converts only what matches).
 *
 * @param debt what the health filter reads as "has debt" (only its sign counts): loan-token base
 *     units on Freehold, the pool's {@code totalDebtBase} on Aave
 * @param healthFactor WAD, rounded down as the protocol rounds it
 * @param holdsAnything whether a snapshot includes it (a position that holds nothing is left out)
 */
public record StreamPosition(
        MarketId marketId,
        Address account,
        BigInteger debt,
        BigInteger healthFactor,
        boolean holdsAnything,
        Supplier<Position> message) {}
