/**
 * What borrowers and lenders do against a deployed {@code LendingPool}, over web3j: {@link
 * io.freehold.sdk.onchain.FreeholdPool} locks and unlocks collateral, borrows, repays, supplies and
 * withdraws, returning {@link io.freehold.sdk.onchain.PoolReceipt}s and failing with a {@link
 * io.freehold.sdk.onchain.ContractRevertException} that carries the decoded revert reason; it flags
 * and clears positions on markets with a cure window. {@link
 * io.freehold.sdk.onchain.FreeholdAuction} ({@code pool.auction(market)}) starts, restarts and
 * takes from the Dutch auctions of auction markets ({@link
 * io.freehold.sdk.onchain.AuctionStartReceipt}, {@link io.freehold.sdk.onchain.TakeReceipt}). The
 * pool also reads the inputs of the offline math ({@link io.freehold.sdk.onchain.PositionInputs}).
 */
package io.freehold.sdk.onchain;
