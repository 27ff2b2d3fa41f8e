package io.freehold.sdk.onchain;

import io.freehold.contracts.math.Appraisal;
import io.freehold.contracts.math.MarketState;
import io.freehold.contracts.math.MarketTerms;
import io.freehold.contracts.math.PositionState;
import io.freehold.types.Address;
import io.freehold.types.MarketId;
import java.util.Objects;

/**
 * Everything the pool's math needs about one position, read from the chain at one block so that
 * every number describes the same state: the input of {@code io.freehold.sdk.math.PositionMath},
 * which computes from it offline, at this block or any later time and price.
 *
 * <p>{@code market} is the market <em>as stored</em> (interest accrued to its own {@code
 * lastUpdate}, not to the block): accruing from there in one step to a later timestamp is what the
 * contract does, and gives its numbers to the wei, where accruing a market already accrued to the
 * block would not.
 *
 * <pre>{@code
 * PositionInputs in = pool.positionInputs(marketId, me);
 * PositionMath now = PositionMath.of(in);
 * PositionMath inADay = now.at(in.timestamp() + 86_400);
 * }</pre>
 *
 * @param terms the market's parameters ({@code marketParams(id)})
 * @param market the market's totals as stored
 * @param position the account's stored position ({@code positionShares(id, account)})
 * @param appraisal the oracle's latest price, stale or not
 * @param loanDecimals the loan token's {@code decimals()}
 * @param collateralDecimals the property token's {@code decimals()}
 * @param blockNumber the block everything was read at
 * @param timestamp that block's timestamp, unix seconds
 */
public record PositionInputs(
        MarketId marketId,
        Address account,
        MarketTerms terms,
        MarketState market,
        PositionState position,
        Appraisal appraisal,
        int loanDecimals,
        int collateralDecimals,
        long blockNumber,
        long timestamp) {

    public PositionInputs {
        Objects.requireNonNull(marketId, "marketId");
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(terms, "terms");
        Objects.requireNonNull(market, "market");
        Objects.requireNonNull(position, "position");
        Objects.requireNonNull(appraisal, "appraisal");
        if (timestamp < market.lastUpdate()) {
            throw new IllegalArgumentException(
                    "timestamp "
                            + timestamp
                            + " is before the market's lastUpdate "
                            + market.lastUpdate());
        }
    }
}
