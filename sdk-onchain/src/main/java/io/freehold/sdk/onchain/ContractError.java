package io.freehold.sdk.onchain;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.web3j.crypto.Hash;

/**
 * A custom error a borrower's or lender's transaction can revert with: the pool's
 * ({@code contracts/src/interfaces/ILendingPool.sol}), the oracle's and the property token's that the pool
 * lets through, OpenZeppelin's ERC-20 errors from either token, and Solidity's own {@code Error(string)} and
 * {@code Panic(uint256)}. {@link ContractRevert} carries one with its decoded arguments.
 *
 * <p>Errors with the same signature in several contracts ({@code NotVerified(address)} in the property token
 * and the identity registry, {@code ZeroAmount()}, {@code ZeroAddress()}) share one selector, so they are one
 * constant here; the revert data cannot tell them apart either.
 *
 * <pre>{@code
 * try {
 *     pool.borrow(marketId, amount);
 * } catch (ContractRevertException e) {
 *     if (e.revert().error() == ContractError.MAX_LTV_EXCEEDED) {
 *         BigInteger maxDebt = e.revert().uint("maxDebt");
 *     }
 * }
 * }</pre>
 */
public enum ContractError {
    // ---- LendingPool
    ZERO_AMOUNT("ZeroAmount()"),
    ZERO_ADDRESS("ZeroAddress()"),
    /** The amount is worth less than one share. */
    ZERO_SHARES("ZeroShares()"),
    MARKET_NOT_FOUND("MarketNotFound(bytes32 id)"),
    MARKET_ALREADY_EXISTS("MarketAlreadyExists(bytes32 id)"),
    INVALID_MARKET_PARAMS("InvalidMarketParams(string reason)"),
    /** Loan-token base units. */
    SUPPLY_CAP_EXCEEDED("SupplyCapExceeded(uint256 totalSupplyAssets,uint256 supplyCap)"),
    /** Loan-token base units. */
    BORROW_CAP_EXCEEDED("BorrowCapExceeded(uint256 totalBorrowAssets,uint256 borrowCap)"),
    /** Loan-token base units idle in the market, and asked for. */
    INSUFFICIENT_LIQUIDITY("InsufficientLiquidity(uint256 available,uint256 requested)"),
    /** Supply shares the withdrawal burns, and owned. */
    INSUFFICIENT_SUPPLY_SHARES("InsufficientSupplyShares(uint256 shares,uint256 owned)"),
    /** Collateral-token base units. */
    INSUFFICIENT_COLLATERAL("InsufficientCollateral(uint256 requested,uint256 owned)"),
    /** Loan-token base units; also any repayment of a position without debt. */
    REPAY_EXCEEDS_DEBT("RepayExceedsDebt(uint256 assets,uint256 debt)"),
    /** The debt after the action and the most maxLtv allows, loan-token base units. */
    MAX_LTV_EXCEEDED("MaxLtvExceeded(uint256 debt,uint256 maxDebt)"),
    /** The appraisal of {@code token} made at {@code updatedAt} (unix seconds) is older than its feed allows. */
    STALE_PRICE("StalePrice(address token,uint256 updatedAt)"),
    POSITION_HEALTHY("PositionHealthy(uint256 healthFactor)"),
    COLLATERAL_PAUSED("CollateralPaused(address token)"),
    RECEIVER_NOT_ALLOWED("ReceiverNotAllowed(address receiver)"),
    MUST_NOT_LEAVE_DUST("MustNotLeaveDust(uint256 remainingDebt,uint256 remainingCollateralValue)"),
    HEALTH_WOULD_WORSEN("HealthWouldWorsen(uint256 healthFactorBefore,uint256 healthFactorAfter)"),
    RENT_NOT_IN_LOAN_TOKEN("RentNotInLoanToken(address rentToken,address loanToken)"),
    REENTRANT_CALL("ReentrancyGuardReentrantCall()"),
    // ---- AppraisalOracle, reached through the pool's price reads
    UNKNOWN_FEED("UnknownFeed(address token)"),
    NO_PRICE("NoPrice(address token)"),
    // ---- PropertyToken and IdentityRegistry: compliance of a property-token transfer
    TOKEN_PAUSED("TokenPaused()"),
    /** The account is not verified in the identity registry (KYC), so the property token will not move to or from it. */
    NOT_VERIFIED("NotVerified(address account)"),
    ACCOUNT_FROZEN("AccountFrozen(address account)"),
    // ---- OpenZeppelin 5 ERC-20 and SafeERC20, from either token
    ERC20_INSUFFICIENT_BALANCE("ERC20InsufficientBalance(address sender,uint256 balance,uint256 needed)"),
    ERC20_INSUFFICIENT_ALLOWANCE("ERC20InsufficientAllowance(address spender,uint256 allowance,uint256 needed)"),
    ERC20_INVALID_SENDER("ERC20InvalidSender(address sender)"),
    ERC20_INVALID_RECEIVER("ERC20InvalidReceiver(address receiver)"),
    ERC20_INVALID_APPROVER("ERC20InvalidApprover(address approver)"),
    ERC20_INVALID_SPENDER("ERC20InvalidSpender(address spender)"),
    SAFE_ERC20_FAILED_OPERATION("SafeERC20FailedOperation(address token)"),
    // ---- Solidity
    /** {@code require(condition, "message")} or {@code revert("message")}. */
    ERROR("Error(string reason)"),
    /** A failed assertion, overflow (0x11), division by zero (0x12)... */
    PANIC("Panic(uint256 code)"),
    /** Revert data this SDK does not recognise, or none at all; {@link ContractRevert#data()} has it raw. */
    UNKNOWN("");

    private static final Map<String, ContractError> BY_SELECTOR = bySelector();

    private final String declaration;
    private final String signature;
    private final List<String> parameterTypes;
    private final List<String> parameterNames;

    ContractError(String declaration) {
        this.declaration = declaration;
        if (declaration.isEmpty()) {
            signature = "";
            parameterTypes = List.of();
            parameterNames = List.of();
            return;
        }
        String name = declaration.substring(0, declaration.indexOf('('));
        String list = declaration.substring(name.length() + 1, declaration.length() - 1);
        List<String> types = new ArrayList<>();
        List<String> names = new ArrayList<>();
        if (!list.isEmpty()) {
            for (String parameter : list.split(",")) {
                String[] typeAndName = parameter.strip().split(" ");
                types.add(typeAndName[0]);
                names.add(typeAndName[1]);
            }
        }
        signature = name + "(" + String.join(",", types) + ")";
        parameterTypes = List.copyOf(types);
        parameterNames = List.copyOf(names);
    }

    /** The Solidity name, e.g. {@code MaxLtvExceeded}; {@code unknown} for {@link #UNKNOWN}. */
    public String errorName() {
        return signature.isEmpty() ? "unknown" : signature.substring(0, signature.indexOf('('));
    }

    /** The canonical signature the selector hashes, e.g. {@code MaxLtvExceeded(uint256,uint256)}. */
    public String signature() {
        return signature;
    }

    /** The 4-byte selector, 0x-hex: the first 4 bytes of keccak256 of the signature; empty for {@link #UNKNOWN}. */
    public String selector() {
        return signature.isEmpty() ? "" : Hash.sha3String(signature).substring(0, 10);
    }

    /** The parameter names as the contract declares them, e.g. {@code [debt, maxDebt]}. */
    public List<String> parameterNames() {
        return parameterNames;
    }

    /** The ABI types of the parameters, e.g. {@code [uint256, uint256]}. */
    public List<String> parameterTypes() {
        return parameterTypes;
    }

    /** The declaration with parameter names, e.g. {@code MaxLtvExceeded(uint256 debt,uint256 maxDebt)}. */
    public String declaration() {
        return declaration;
    }

    /** The error whose selector is {@code selector} (0x and 8 hex digits, any case), or {@link #UNKNOWN}. */
    public static ContractError bySelector(String selector) {
        return BY_SELECTOR.getOrDefault(selector.toLowerCase(Locale.ROOT), UNKNOWN);
    }

    private static Map<String, ContractError> bySelector() {
        Map<String, ContractError> map = new HashMap<>();
        for (ContractError error : values()) {
            if (error == UNKNOWN) {
                continue;
            }
            ContractError clash = map.put(error.selector(), error);
            if (clash != null) {
                throw new IllegalStateException("selector clash: " + clash.signature + " and " + error.signature);
            }
        }
        return Collections.unmodifiableMap(map);
    }
}
