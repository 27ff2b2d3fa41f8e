package io.freehold.sdk;

import io.freehold.types.Address;
import java.math.BigInteger;
import java.util.Objects;

/**
 * The {@code liquidationCall} an Aave opportunity is sized for ({@link Opportunity#aave()}): the
 * node sizes the account's largest debt against its largest collateral at the position's as-of
 * time. {@link Opportunity#maxRepay()} and {@link Opportunity#expectedIncentive()} are then in the
 * debt asset's base units, {@link Opportunity#seizedCollateral()} in the collateral asset's (what
 * the liquidator receives, after the protocol's fee).
 *
 * <pre>{@code
 * AaveLiquidationCall call = o.aave().orElseThrow();
 * pool.liquidationCall(call.collateralAsset(), call.debtAsset(), o.position().account(), o.maxRepay(), false);
 * }</pre>
 *
 * @param closeFactor the share of the debt one call may repay: 50 % while the health factor is
 *     above 0.95, 100 % below
 * @param protocolFee collateral-asset base units the pool's treasury receives of the seized
 *     collateral
 */
public record AaveLiquidationCall(
        Address collateralAsset,
        Address debtAsset,
        BasisPoints closeFactor,
        BigInteger protocolFee) {

    public AaveLiquidationCall {
        Objects.requireNonNull(collateralAsset, "collateralAsset");
        Objects.requireNonNull(debtAsset, "debtAsset");
        Objects.requireNonNull(closeFactor, "closeFactor");
        Objects.requireNonNull(protocolFee, "protocolFee");
    }
}
