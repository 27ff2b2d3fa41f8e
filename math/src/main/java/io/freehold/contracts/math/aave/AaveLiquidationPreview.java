package io.freehold.contracts.math.aave;

import static io.freehold.contracts.math.aave.RayMath.percentDiv;
import static io.freehold.contracts.math.aave.RayMath.percentMul;
import static io.freehold.contracts.math.aave.RayMath.rayMul;

import io.freehold.types.Address;
import java.math.BigInteger;
import java.util.Map;
import java.util.Optional;

/**
 * What {@code Pool.liquidationCall(collateralAsset, debtAsset, user, debtToCover, false)} would do
 * in a block at {@code timestamp}, as {@code LiquidationLogic.executeLiquidationCall} (3.0.x)
 * computes it: the close factor (50 % of the debt while the health factor is above 0.95, all of it
 * below), the collateral for the debt at the oracle's prices with the liquidation bonus (the eMode
 * category's, and its price source, for an account in eMode), capped at the account's collateral
 * balance (then the debt is what that collateral covers), and the protocol's share of the bonus.
 *
 * @param closeFactorBps 5,000 or 10,000
 * @param debtToCover debt-asset base units the liquidator pays (the pool's {@code
 *     actualDebtToLiquidate}, its {@code LiquidationCall} event's {@code debtToCover})
 * @param collateralToLiquidator collateral-asset base units the liquidator receives (the event's
 *     {@code liquidatedCollateralAmount})
 * @param protocolFee collateral-asset base units (aTokens) the treasury receives
 * @param incentive the liquidator's gain in debt-asset base units at the same prices: collateral
 *     received valued in the debt asset, minus the debt paid (before gas)
 */
public record AaveLiquidationPreview(
        Address collateralAsset,
        Address debtAsset,
        int closeFactorBps,
        BigInteger debtToCover,
        BigInteger collateralToLiquidator,
        BigInteger protocolFee,
        BigInteger incentive) {

    /** {@code CLOSE_FACTOR_HF_THRESHOLD}: below it the whole debt may be repaid at once. */
    public static final BigInteger CLOSE_FACTOR_HF_THRESHOLD = new BigInteger("950000000000000000");

    private static final BigInteger ONE = BigInteger.TEN.pow(18);
    private static final BigInteger HALF = BigInteger.valueOf(5_000);
    private static final BigInteger ALL = BigInteger.valueOf(10_000);

    /**
     * The liquidation of {@code user}'s debt in {@code debtAsset} against its collateral in {@code
     * collateralAsset}; empty when the pool would refuse it (health factor at or above 1, no debt
     * in that asset, that asset not the account's collateral or worth nothing).
     *
     * @param debtToCover what the liquidator offers to pay (the pool takes at most the close
     *     factor's share; {@code 2^256 - 1} asks for all of it)
     */
    public static Optional<AaveLiquidationPreview> of(
            AaveBook book,
            Address user,
            Address collateralAsset,
            Address debtAsset,
            BigInteger debtToCover,
            long timestamp) {
        AccountData account = book.accountData(user, timestamp);
        if (account.healthFactor().compareTo(ONE) >= 0) {
            return Optional.empty();
        }
        Map<Address, AaveUserReserve> positions = book.positions(user);
        AaveUserReserve collateralPosition = positions.get(collateralAsset);
        AaveUserReserve debtPosition = positions.get(debtAsset);
        AaveReserve collateral = book.reserveOf(collateralAsset);
        AaveReserve debt = book.reserveOf(debtAsset);
        if (collateralPosition == null
                || debtPosition == null
                || collateral == null
                || debt == null
                || !collateralPosition.collateral()
                || collateral.configuration().liquidationThreshold() == 0) {
            return Optional.empty();
        }
        BigInteger userDebt =
                rayMul(debtPosition.scaledVariableDebt(), debt.normalizedDebt(timestamp));
        BigInteger userCollateral =
                rayMul(
                        collateralPosition.scaledATokenBalance(),
                        collateral.normalizedIncome(timestamp));
        if (userDebt.signum() == 0 || userCollateral.signum() == 0) {
            return Optional.empty();
        }
        BigInteger closeFactor =
                account.healthFactor().compareTo(CLOSE_FACTOR_HF_THRESHOLD) > 0 ? HALF : ALL;
        BigInteger maxDebt = percentMul(userDebt, closeFactor);
        BigInteger actualDebt = debtToCover.min(maxDebt);

        // The eMode category's bonus for a collateral in it, and its price source for both
        // assets (the debt is always in the account's category when the account is in one).
        BigInteger bonus = BigInteger.valueOf(collateral.configuration().liquidationBonus());
        Address collateralPriceAsset = collateralAsset;
        Address debtPriceAsset = debtAsset;
        int category = book.eModeOf(user);
        if (category != 0) {
            EModeCategory c = book.eModeCategories().getOrDefault(category, EModeCategory.NONE);
            boolean eModeSource = !c.priceSource().equals(Address.ZERO);
            if (collateral.configuration().eModeCategory() == category) {
                bonus = BigInteger.valueOf(c.liquidationBonus());
                if (eModeSource) {
                    collateralPriceAsset = c.priceSource();
                }
            }
            if (eModeSource) {
                debtPriceAsset = c.priceSource();
            }
        }
        BigInteger collateralPrice = book.price(collateralPriceAsset);
        BigInteger debtPrice = book.price(debtPriceAsset);
        BigInteger collateralUnit = BigInteger.TEN.pow(collateral.configuration().decimals());
        BigInteger debtUnit = BigInteger.TEN.pow(debt.configuration().decimals());

        BigInteger baseCollateral =
                debtPrice
                        .multiply(actualDebt)
                        .multiply(collateralUnit)
                        .divide(collateralPrice.multiply(debtUnit));
        BigInteger maxCollateral = percentMul(baseCollateral, bonus);
        BigInteger collateralAmount;
        BigInteger debtNeeded;
        if (maxCollateral.compareTo(userCollateral) > 0) {
            collateralAmount = userCollateral;
            debtNeeded =
                    percentDiv(
                            collateralPrice
                                    .multiply(collateralAmount)
                                    .multiply(debtUnit)
                                    .divide(debtPrice.multiply(collateralUnit)),
                            bonus);
        } else {
            collateralAmount = maxCollateral;
            debtNeeded = actualDebt;
        }
        BigInteger feeBps =
                collateral.configuration().get(ReserveConfiguration.Field.LIQUIDATION_PROTOCOL_FEE);
        BigInteger fee = BigInteger.ZERO;
        if (feeBps.signum() != 0) {
            BigInteger bonusCollateral =
                    collateralAmount.subtract(percentDiv(collateralAmount, bonus));
            fee = percentMul(bonusCollateral, feeBps);
        }
        BigInteger toLiquidator = collateralAmount.subtract(fee);
        BigInteger valueInDebt =
                collateralPrice
                        .multiply(toLiquidator)
                        .multiply(debtUnit)
                        .divide(debtPrice.multiply(collateralUnit));
        return Optional.of(
                new AaveLiquidationPreview(
                        collateralAsset,
                        debtAsset,
                        closeFactor.intValueExact(),
                        debtNeeded,
                        toLiquidator,
                        fee,
                        valueInDebt.subtract(debtNeeded)));
    }

    /**
     * The liquidation a liquidator would most likely choose: the account's largest debt against its
     * largest collateral (by value in the base currency), for as much as the close factor allows;
     * empty when the pool would refuse any.
     */
    public static Optional<AaveLiquidationPreview> largest(
            AaveBook book, Address user, long timestamp) {
        Address bestCollateral = null;
        Address bestDebt = null;
        BigInteger collateralValue = BigInteger.ZERO;
        BigInteger debtValue = BigInteger.ZERO;
        for (Map.Entry<Address, AaveUserReserve> e : book.positions(user).entrySet()) {
            AaveReserve reserve = book.reserveOf(e.getKey());
            BigInteger unit = BigInteger.TEN.pow(reserve.configuration().decimals());
            BigInteger price;
            try {
                price = book.price(e.getKey());
            } catch (UnsupportedAaveFeatureException noPrice) {
                continue;
            }
            AaveUserReserve p = e.getValue();
            if (p.collateral() && reserve.configuration().liquidationThreshold() != 0) {
                BigInteger value =
                        rayMul(p.scaledATokenBalance(), reserve.normalizedIncome(timestamp))
                                .multiply(price)
                                .divide(unit);
                if (value.compareTo(collateralValue) > 0) {
                    collateralValue = value;
                    bestCollateral = e.getKey();
                }
            }
            BigInteger owed =
                    rayMul(p.scaledVariableDebt(), reserve.normalizedDebt(timestamp))
                            .multiply(price)
                            .divide(unit);
            if (owed.compareTo(debtValue) > 0) {
                debtValue = owed;
                bestDebt = e.getKey();
            }
        }
        if (bestCollateral == null || bestDebt == null) {
            return Optional.empty();
        }
        return of(
                book,
                user,
                bestCollateral,
                bestDebt,
                BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE),
                timestamp);
    }
}
