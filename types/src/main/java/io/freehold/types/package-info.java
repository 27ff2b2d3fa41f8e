/**
 * The vocabulary every Freehold module shares: {@link io.freehold.types.Address}, {@link
 * io.freehold.types.MarketId}, {@link io.freehold.types.BlockHash}, {@link
 * io.freehold.types.BlockHeader}, the bound of a Solidity {@code uint256} ({@link
 * io.freehold.types.Uint256}) and {@link io.freehold.types.Keccak256}.
 *
 * <p>The contracts' math, the node and the SDK all use these, so a value parsed once is the same
 * value everywhere. This package depends on nothing but the JDK.
 */
package io.freehold.types;
