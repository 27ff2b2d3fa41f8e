/**
 * Liquidation: turning unhealthy positions into mined liquidations, once each.
 *
 * <pre>
 *  candidates (risk engine, CandidateSource, offer())
 *        │
 *        ▼
 *  LiquidationExecutor.consider ── in flight? cooling down? (AttemptStore) ── yes ──► nothing
 *        │ no
 *        ▼
 *  Preflight (eth_call at the latest block): market · paused · receiver verified/unfrozen · fresh price
 *        · LiquidationSizer (contracts.math Liquidations.preview) · balance · allowance
 *        · simulate liquidate · fees under the cap · gas · profit &gt; min-profit
 *        │ refused ──► AttemptStore SKIPPED (reason), retried after the cooldown
 *        ▼
 *  NonceManager.reserve ─► TransactionSigner (EIP-1559, FeeEstimator) ─► AttemptStore.begin (IN_FLIGHT,
 *        one per position, the signed bytes) ─► LiquidatorRpc.send (every endpoint)
 *        ▼
 *  LiquidationExecutor.track ─► InclusionTracker: receipt in a final block? ─► MINED (Liquidate event) /
 *        FAILED (reverted, who liquidated first) / GAVE_UP (cancel mined); receipt in a younger block?
 *        MINED_UNCONFIRMED; that receipt gone (reorg)? ORPHANED_RETRIED: cancel, broadcast again, or re-sign
 *        at the same nonce; unknown? broadcast again; stuck? bump ≥ 12.5% up to the cap, or cancel when the
 *        position no longer needs it
 *        └─► NonceManager resynced from the chain's count; any free nonce below a held one filled at once
 * </pre>
 *
 * <p>Every JSON-RPC call goes through {@link io.freehold.node.liquidation.LiquidatorRpc} over the
 * node's {@link io.freehold.node.chain.ChainRpc} (retry, breaker, rate limit, failover, lag
 * checks).
 *
 * <p>{@link io.freehold.node.liquidation.LiquidationService} runs this on its own thread in {@code
 * EXECUTE} mode and only logs in {@code WATCH} mode (the default); {@link
 * io.freehold.node.liquidation.LiquidatorConfiguration} has every setting ({@code
 * freehold.node.liquidator.*}); {@link io.freehold.node.liquidation.LiquidationMetrics} the
 * numbers.
 */
package io.freehold.node.liquidation;
