package io.freehold.node.aave;

import com.google.rpc.Code;
import io.freehold.contracts.math.aave.AaveBook;
import io.freehold.contracts.math.aave.UnsupportedAaveFeatureException;
import io.freehold.node.api.ApiArguments;
import io.freehold.node.api.ApiException;
import io.freehold.proto.v1.AavePriceChange;
import io.freehold.proto.v1.SimulateRequest;
import io.freehold.proto.v1.SimulateResponse;
import io.freehold.types.Address;
import io.freehold.types.MarketId;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import java.math.BigInteger;

/**
 * {@code SimulationService} on a node following an Aave v3 pool: what a new oracle price for one
 * reserve ({@code aave_price}) would do to an account, computed on a copy of the published book
 * ({@link AaveBook#withPrice}) at the applied block's timestamp, so {@code after} is {@code
 * getUserAccountData} as the pool would answer it in that block with that price. The published book
 * is not changed. Behind the gRPC endpoint ({@link AaveSimulationEndpoint}) and {@code GET
 * /v1/markets/{id}/positions/{account}/simulate} ({@link AaveRestApi}).
 *
 * <p>The other changes (borrow, repay, collateral moves, auction takes) are Freehold's pool's
 * actions: not simulated on an Aave pool yet (UNIMPLEMENTED); a Freehold appraisal ({@code price})
 * does not name a reserve (INVALID_ARGUMENT).
 */
@Singleton
@Requires(property = "freehold.node.protocol", value = "aave-v3")
@Requires(property = "freehold.node.follow", notEquals = "false")
public final class AaveSimulationReads {

    private final AaveReads reads;

    public AaveSimulationReads(AaveReads reads) {
        this.reads = reads;
    }

    public SimulateResponse simulate(SimulateRequest request) {
        MarketId id = ApiArguments.marketId("market_id", request.getMarketId());
        Address account = ApiArguments.address("account", request.getAccount());
        reads.requireMarket(id);
        // The published book as of one block: read once, so before and after are of that block.
        AppliedAaveBook applied = reads.applied();
        // In the Freehold surface's order: the market, the position, then the change.
        if (applied.book().positions(account).isEmpty()) {
            throw ApiException.unknownPosition("account", id, account);
        }
        switch (request.getChangeCase()) {
            case AAVE_PRICE -> {}
            case PRICE ->
                    throw ApiException.invalid(
                            "WRONG_PROTOCOL",
                            "price",
                            "an Aave pool prices each reserve: set aave_price (asset and price)");
            case CHANGE_NOT_SET ->
                    throw ApiException.invalid(
                            "MISSING_FIELD", "change", "set aave_price (asset and price)");
            default ->
                    throw new ApiException(
                            Code.UNIMPLEMENTED,
                            "NOT_ON_AAVE",
                            "change",
                            "only aave_price is simulated on an Aave pool, not "
                                    + request.getChangeCase().name().toLowerCase());
        }
        AavePriceChange change = request.getAavePrice();
        Address asset = ApiArguments.address("aave_price.asset", change.getAsset());
        BigInteger price = ApiArguments.amount("aave_price.price", change.getPrice());
        if (applied.book().reserveOf(asset) == null) {
            throw ApiException.notFound(
                            "UNKNOWN_ASSET", "aave_price.asset", "the pool has no such reserve")
                    .with("aave_price.asset", asset.hex());
        }
        if (price.signum() == 0 || price.bitLength() > 255) {
            // AaveOracle asks its fallback for an answer <= 0; an answer is an int256.
            throw ApiException.invalid(
                            "INVALID_AMOUNT",
                            "aave_price.price",
                            "an oracle price is a positive int256")
                    .with("aave_price.price", change.getPrice());
        }
        AppliedAaveBook simulated =
                new AppliedAaveBook(applied.block(), applied.book().withPrice(asset, price));
        try {
            return SimulateResponse.newBuilder()
                    .setBefore(reads.position(applied, account, applied.accountData(account)))
                    .setAfter(reads.position(simulated, account, simulated.accountData(account)))
                    .build();
        } catch (UnsupportedAaveFeatureException e) {
            // Another reserve of the account has no price the book can give (fallback oracle).
            throw new ApiException(
                    Code.FAILED_PRECONDITION, "UNSUPPORTED_AAVE_FEATURE", "", e.getMessage());
        }
    }
}
