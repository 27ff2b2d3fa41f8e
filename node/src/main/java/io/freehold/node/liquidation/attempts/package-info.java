/**
 * The liquidator's record: every {@link io.freehold.node.liquidation.attempts.Attempt} with its
 * {@link io.freehold.node.liquidation.attempts.AttemptStatus}, its plan and outcome and the signed
 * transactions it sent, written before anything is broadcast so that a restart never sends twice.
 * {@link io.freehold.node.liquidation.attempts.AttemptStore} is the service; {@link
 * io.freehold.node.liquidation.attempts.AttemptRows} its SQL (plain JDBC that H2 and PostgreSQL
 * both run, as the state store's); fenced writes check the replicas' lease epoch in the same
 * transaction.
 */
package io.freehold.node.liquidation.attempts;
