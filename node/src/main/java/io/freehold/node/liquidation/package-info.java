/**
 * Liquidation: turning unhealthy positions into mined liquidations, once each. This package holds
 * what runs and configures the whole ({@link io.freehold.node.liquidation.LiquidationService},
 * {@link io.freehold.node.liquidation.LiquidatorConfiguration}, {@link
 * io.freehold.node.liquidation.LeaseConfiguration}, {@link
 * io.freehold.node.liquidation.LiquidationMetrics}) and the liquidator's chain access ({@link
 * io.freehold.node.liquidation.LiquidatorRpc}); the work is split by job:
 *
 * <ul>
 *   <li>{@link io.freehold.node.liquidation.decide} — whether and how much: candidates, preflight
 *       against the chain, sizing, the plan, skip reasons, revert decoding, the pool's views and
 *       {@code Liquidate} events;
 *   <li>{@link io.freehold.node.liquidation.transact} — getting it mined: the executor loop, keys
 *       and signing, nonces, fees, inclusion tracking and replacement, the sent transactions, the
 *       replicas' lease;
 *   <li>{@link io.freehold.node.liquidation.attempts} — the record of every attempt and its
 *       transactions, in SQL that H2 and PostgreSQL both run.
 * </ul>
 *
 * <pre>
 *  candidates (risk engine, decide.CandidateSource, offer())
 *        │
 *        ▼
 *  transact.LiquidationExecutor.consider ── in flight? cooling down? (attempts.AttemptStore) ── yes ──► nothing
 *        │ no
 *        ▼
 *  decide.Preflight (eth_call at the latest block): market · paused · receiver verified/unfrozen · fresh price
 *        · LiquidationSizer (contracts.math Liquidations.preview) · balance · allowance
 *        · simulate liquidate · fees under the cap (transact.FeeEstimator) · gas · profit &gt; min-profit
 *        │ refused ──► AttemptStore SKIPPED (reason), retried after the cooldown
 *        ▼
 *  transact: NonceManager.reserve ─► TransactionSigner (EIP-1559, FeeEstimator) ─► AttemptStore.begin
 *        (IN_FLIGHT, one per position, the signed bytes) ─► LiquidatorRpc.send (every endpoint)
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
 * checks); calls are encoded and answers decoded by the bindings' {@code PoolViews} and {@code
 * PoolEvents}, as the SDK's are.
 *
 * <p>{@link io.freehold.node.liquidation.LiquidationService} runs this on its own thread in {@code
 * EXECUTE} mode and only logs in {@code WATCH} mode (the default); {@link
 * io.freehold.node.liquidation.LiquidatorConfiguration} has every setting ({@code
 * freehold.node.liquidator.*}); {@link io.freehold.node.liquidation.LiquidationMetrics} the
 * numbers.
 */
package io.freehold.node.liquidation;
