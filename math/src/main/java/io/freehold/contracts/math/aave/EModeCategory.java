package io.freehold.contracts.math.aave;

import io.freehold.types.Address;

/**
 * An efficiency-mode category as the pool keeps it ({@code DataTypes.EModeCategory}): for an
 * account in the category, the LTV and liquidation threshold (basis points) of the reserves in it,
 * their liquidation bonus, and the asset whose oracle price replaces theirs (zero: their own).
 */
public record EModeCategory(
        int ltv, int liquidationThreshold, int liquidationBonus, Address priceSource) {

    /** A category the configurator never set: the pool's zeroed storage. */
    static final EModeCategory NONE = new EModeCategory(0, 0, 0, Address.ZERO);
}
