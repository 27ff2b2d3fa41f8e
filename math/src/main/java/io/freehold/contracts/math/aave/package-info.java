/**
 * An Aave v3 (3.0.x, {@code @aave/core-v3} 1.19.x) market rebuilt from its events, exact to the
 * wei: {@link io.freehold.contracts.math.aave.AaveBook} applies the pool's, the configurator's, the
 * oracle's and the reserve tokens' logs ({@link io.freehold.contracts.math.aave.AaveLog}) and
 * answers {@code Pool.getUserAccountData} for any account at any later timestamp ({@link
 * io.freehold.contracts.math.aave.AccountData}). {@link io.freehold.contracts.math.aave.RayMath}
 * and {@link io.freehold.contracts.math.aave.AaveInterest} are Aave's {@code WadRayMath}, {@code
 * PercentageMath} and {@code MathUtils}; {@link
 * io.freehold.contracts.math.aave.ReserveConfiguration} is its reserve bitmap.
 *
 * <p>What it refuses, with {@link io.freehold.contracts.math.aave.UnsupportedAaveFeatureException}
 * naming the feature: stable-rate debt, an account entering an eMode category, prices that come
 * from the oracle's fallback or from a source whose answer it has not seen. See {@code
 * docs/AAVE.md}.
 */
package io.freehold.contracts.math.aave;
