/**
 * Offline math for one position, identical to the pool contract's to the wei: LTV, health factor,
 * liquidation price, max borrowable, and previews of what an action would do. A thin face, in SDK
 * types, over the contracts module's {@code io.freehold.contracts.math}; start at {@link
 * io.freehold.sdk.math.PositionMath} and load its inputs with {@link
 * io.freehold.sdk.onchain.FreeholdPool#positionInputs}.
 */
package io.freehold.sdk.math;
