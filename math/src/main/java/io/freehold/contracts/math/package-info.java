/**
 * The lending pool's on-chain math in Java, exact to the wei: what the node computes while it
 * follows the chain and what the SDK computes offline for borrowers, with no call to the chain.
 *
 * <p>Every number is a {@link java.math.BigInteger} holding a Solidity {@code uint256}: inputs that
 * are negative or above 2^256 - 1 are refused with an {@link java.lang.IllegalArgumentException}
 * saying which input and why, and arithmetic that reverts on chain (a checked {@code +}, {@code -}
 * or {@code *}, a division by zero, a {@code mulDiv} whose result does not fit) throws {@link
 * io.freehold.contracts.math.SolidityPanic} with the panic code the contract would revert with.
 *
 * <p>The formulas, units and rounding are those of {@code contracts/README.md} and of {@code
 * LendingPool.sol} and its libraries; each class names the Solidity it mirrors. Where to start:
 * {@link io.freehold.contracts.math.MarketState#accrueTo} brings a market to a block's timestamp,
 * {@link io.freehold.contracts.math.Valuation#of} values a position as the {@code position()} view
 * does, {@link io.freehold.contracts.math.Previews} and {@link
 * io.freehold.contracts.math.Liquidations} predict what a transaction would do or why it would
 * revert.
 */
package io.freehold.contracts.math;
