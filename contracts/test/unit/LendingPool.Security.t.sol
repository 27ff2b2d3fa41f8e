// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {vm, Vm} from "../../std/Vm.sol";
import {PoolFixture} from "../utils/PoolFixture.sol";
import {ILendingPool, PositionView} from "../../src/interfaces/ILendingPool.sol";

/// @notice The attacks of the security review (issue 17), each refused, or for the solvent write-off, bounded.
contract LendingPoolSecurityTest is PoolFixture {
    address internal accomplice;

    function setUp() public override {
        super.setUp();
        accomplice = borrower2; // verified, unfrozen: a receiver the token accepts
    }

    // ------------------------------------------------------------------ finding 2: the owner's compliance

    function test_withdrawCollateral_revertsWhenOwnerFrozen() public {
        _openPosition(borrower, 0, 10e18, 0);
        _freeze(borrower);
        vm.expectRevert(abi.encodeWithSelector(ILendingPool.OwnerNotAllowed.selector, borrower));
        vm.prank(borrower);
        pool.withdrawCollateral(id, 10e18, accomplice);
        vm.assertEq(token.balanceOf(accomplice), 0, "nothing left the pool");
    }

    function test_withdrawCollateral_revertsWhenOwnerUnverified() public {
        _openPosition(borrower, 0, 10e18, 0);
        vm.prank(admin);
        registry.unverify(borrower);
        vm.expectRevert(abi.encodeWithSelector(ILendingPool.OwnerNotAllowed.selector, borrower));
        vm.prank(borrower);
        pool.withdrawCollateral(id, 10e18, accomplice);
    }

    function test_borrow_revertsWhenOwnerFrozenAndUnverified() public {
        _openPosition(borrower, 10_000e6, 10e18, 0);
        _freeze(borrower);
        vm.prank(admin);
        registry.unverify(borrower);
        vm.expectRevert(abi.encodeWithSelector(ILendingPool.OwnerNotAllowed.selector, borrower));
        vm.prank(borrower);
        pool.borrow(id, 600e6, accomplice);
    }

    function test_borrow_revertsWhenOwnerFrozen() public {
        _openPosition(borrower, 10_000e6, 10e18, 0);
        _freeze(borrower);
        vm.expectRevert(abi.encodeWithSelector(ILendingPool.OwnerNotAllowed.selector, borrower));
        vm.prank(borrower);
        pool.borrow(id, 600e6, borrower);
    }

    function test_supplyCollateral_revertsOnBehalfOfUnverifiedOwner() public {
        _mintProperty(borrower, 10e18);
        vm.expectRevert(abi.encodeWithSelector(ILendingPool.OwnerNotAllowed.selector, outsider));
        vm.prank(borrower);
        pool.supplyCollateral(id, 10e18, outsider);
    }

    function test_supplyCollateral_revertsOnBehalfOfFrozenOwner() public {
        _mintProperty(borrower, 10e18);
        _freeze(borrower2);
        vm.expectRevert(abi.encodeWithSelector(ILendingPool.OwnerNotAllowed.selector, borrower2));
        vm.prank(borrower);
        pool.supplyCollateral(id, 10e18, borrower2);
    }

    /// @notice A freeze holds the property; it never shields the loan: frozen borrowers stay liquidatable,
    /// and may still repay.
    function test_liquidate_worksWhenOwnerFrozen() public {
        _openPosition(borrower, 10_000e6, 10e18, 650e6);
        _freeze(borrower);
        _repay(lender, borrower, 10e6);
        _setPrice(80e6);
        _fund(liquidator, 650e6);
        vm.prank(liquidator);
        (uint256 repaid,,) = pool.liquidate(id, borrower, type(uint256).max, liquidator);
        vm.assertGt(repaid, 0, "liquidated");
    }

    // ------------------------------------------------------------------ finding 4: pause

    function test_borrow_revertsWhenCollateralPaused() public {
        _openPosition(borrower, 10_000e6, 10e18, 0);
        _pause();
        vm.expectRevert(abi.encodeWithSelector(ILendingPool.CollateralPaused.selector, address(token)));
        vm.prank(borrower);
        pool.borrow(id, 650e6, borrower);
    }

    // ------------------------------------------------------------------ finding 5: rent before bad debt

    /// @notice The defaulted borrower's $100 of rent, held by the pool in the loan token, repays debt before
    /// anything is written off against lenders; the borrower cannot claim it afterwards.
    function test_liquidate_appliesRentBeforeWritingOffBadDebt() public {
        _openPosition(borrower, 10_000e6, 10e18, 650e6);
        _depositRent(token, 100e6); // the pool holds every token, so all of it is the borrower's
        _setPrice(50e6); // worth $500 against $650
        uint256 repaidByLiquidator = _mulDivUp(500e6, WAD, incentive);
        uint256 debt = pool.position(id, borrower).debt;

        vm.recordLogs();
        _fund(liquidator, debt);
        vm.prank(liquidator);
        (uint256 repaid,, uint256 badDebt) = pool.liquidate(id, borrower, type(uint256).max, liquidator);

        vm.assertEq(repaid, repaidByLiquidator, "the liquidator pays the fair price");
        vm.assertApproxEqAbs(badDebt, debt - repaid - 100e6, 1, "rent reduced the write-off by $100");
        PositionView memory v = pool.position(id, borrower);
        vm.assertEq(v.debt, 0, "closed");
        vm.assertEq(v.claimableRent, 0, "the rent went to the debt");
        _assertRentAppliedLogged(100e6);
    }

    /// @dev The liquidation logged RentClaimed(id, borrower, pool, amount) then Repay(id, pool, borrower, ...).
    function _assertRentAppliedLogged(uint256 amount) internal {
        Vm.Log[] memory logs = vm.getRecordedLogs();
        bytes32 claimed = keccak256("RentClaimed(bytes32,address,address,uint256)");
        bytes32 repay = keccak256("Repay(bytes32,address,address,uint256,uint256)");
        bool sawClaim;
        for (uint256 i; i < logs.length; ++i) {
            if (logs[i].emitter != address(pool)) continue;
            if (logs[i].topics[0] == claimed) {
                vm.assertEq(logs[i].topics[2], bytes32(uint256(uint160(borrower))), "owner");
                vm.assertEq(logs[i].topics[3], bytes32(uint256(uint160(address(pool)))), "into the debt");
                vm.assertEq(abi.decode(logs[i].data, (uint256)), amount, "amount");
                sawClaim = true;
            } else if (logs[i].topics[0] == repay && sawClaim) {
                vm.assertEq(logs[i].topics[2], bytes32(uint256(uint160(address(pool)))), "repaid by the pool");
                (uint256 assets,) = abi.decode(logs[i].data, (uint256, uint256));
                vm.assertEq(assets, amount, "repaid");
                return;
            }
        }
        revert("no RentClaimed then Repay by the pool");
    }

    function test_liquidate_rentAboveTheShortfallLeavesNoBadDebt() public {
        _openPosition(borrower, 10_000e6, 10e18, 650e6);
        _depositRent(token, 300e6);
        _setPrice(50e6);
        uint256 debt = pool.position(id, borrower).debt;
        _fund(liquidator, debt);
        vm.prank(liquidator);
        (uint256 repaid,, uint256 badDebt) = pool.liquidate(id, borrower, type(uint256).max, liquidator);
        vm.assertEq(badDebt, 0, "nothing written off");
        PositionView memory v = pool.position(id, borrower);
        vm.assertEq(v.debt, 0, "closed");
        vm.assertEq(v.claimableRent, 300e6 - (debt - repaid), "the rest of the rent is still the borrower's");
    }

    // ------------------------------------------------------------------ finding 6: solvent write-off, bounded

    /// @notice Kept by design (Morpho Blue's rule): below debt x incentive only a full close is allowed, so a
    /// solvent position can leave bad debt. $660 of collateral against $650: the liquidator pays $610.50 and
    /// $39.50 is written off.
    function test_liquidate_solventPositionWriteOffMatchesTheReview() public {
        _openPosition(borrower, 10_000e6, 10e18, 650e6);
        _setPrice(66e6);
        _fund(liquidator, 650e6);
        vm.prank(liquidator);
        (uint256 repaid,, uint256 badDebt) = pool.liquidate(id, borrower, type(uint256).max, liquidator);
        vm.assertApproxEqAbs(repaid, 610.5e6, 1, "repaid (rounded up)");
        vm.assertApproxEqAbs(badDebt, 39.5e6, 1, "written off");
        vm.assertLe(badDebt, 650e6 - 650e6 * WAD / incentive, "within 1 - 1/incentive of the debt");
    }

    /// @notice Whatever the debt and the value between debt and debt x incentive, lenders lose at most
    /// debt x (1 - 1/incentive) (plus one base unit of rounding).
    function testFuzz_liquidate_solventWriteOffIsBoundedByTheIncentive(uint256 debt, uint256 value) public {
        debt = bound(debt, 100e6, 650e6);
        _openPosition(borrower, 10_000e6, 10e18, debt);
        uint256 owed = pool.position(id, borrower).debt;
        value = bound(value, owed, _mulDivUp(owed, incentive, WAD) - 1);
        _setRawPrice(_mulDivUp(value, PRICE_SCALE, 10e18));
        _fund(liquidator, owed);
        vm.prank(liquidator);
        (,, uint256 badDebt) = pool.liquidate(id, borrower, type(uint256).max, liquidator);
        vm.assertLe(badDebt, owed - owed * WAD / incentive + 1, "loss bounded by 1 - 1/incentive");
    }
}
