// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {Test} from "../../std/Test.sol";
import {vm} from "../../std/Vm.sol";
import {LendingPool} from "../../src/LendingPool.sol";
import {DutchAuction} from "../../src/DutchAuction.sol";
import {MarketId, Market, Position, CureFlag} from "../../src/interfaces/ILendingPool.sol";
import {Auction} from "../../src/interfaces/IDutchAuction.sol";
import {AuctionHandler} from "./handlers/AuctionHandler.sol";

/// @title DutchAuctionInvariantTest
/// @notice The auction's and the cure window's promises under random loans, appraisals, time, flags, starts,
/// takes (by verified and unverified takers, at random amounts and limits) and restarts (see AuctionHandler).
/// A lighter campaign than the pool's own (the handler checks every call as it runs).
contract DutchAuctionInvariantTest is Test {
    AuctionHandler internal h;
    LendingPool internal pool;
    DutchAuction internal auction;
    MarketId internal id;

    event log_string(string);

    function setUp() public {
        h = new AuctionHandler();
        pool = h.pool();
        auction = h.auction();
        id = h.id();
        targetContract(address(h));
        bytes4[] memory actions = new bytes4[](10);
        actions[0] = AuctionHandler.openLoan.selector;
        actions[1] = AuctionHandler.repay.selector;
        actions[2] = AuctionHandler.movePrice.selector;
        actions[3] = AuctionHandler.warp.selector;
        actions[4] = AuctionHandler.flag.selector;
        actions[5] = AuctionHandler.clearFlag.selector;
        actions[6] = AuctionHandler.start.selector;
        actions[7] = AuctionHandler.take.selector;
        actions[8] = AuctionHandler.take.selector; // takes twice as often: auctions are the point
        actions[9] = AuctionHandler.restart.selector;
        targetSelector(FuzzSelector({addr: address(h), selectors: actions}));
        // Seed: every borrower near maxLtv, so the first price move matters.
        for (uint256 i; i < 3; ++i) {
            h.openLoan(i, 100e18, 99);
        }
    }

    /// @dev One campaign checks every promise after every call (five campaigns would cost five times the time
    /// for the same sequences); each check names what broke.
    /// forge-config: ci.invariant.runs = 400
    function invariant_auctionAndCureRules() public {
        _report();
        _auctionNeverSellsMoreThanItHolds();
        _takersNeverPayAboveThePrice();
        _debtAndBadDebtAccountedExactly();
        _leftoversReachTheBorrower();
        _cureWindowRespectedUnlessUnderTheFloor();
    }

    function _auctionNeverSellsMoreThanItHolds() internal view {
        vm.assertEq(h.soldMoreThanLot(), 0, h.firstViolation());
        address[3] memory borrowers = h.borrowers();
        for (uint256 i; i < 3; ++i) {
            uint256 auctionId = auction.activeAuction(id, borrowers[i]);
            if (auctionId == 0) continue;
            vm.assertEq(
                pool.positionShares(id, borrowers[i]).collateral + h.sold(auctionId),
                h.lotAtStart(auctionId),
                "lot = sold + left"
            );
        }
    }

    function _takersNeverPayAboveThePrice() internal view {
        vm.assertEq(h.paidAbovePrice(), 0, h.firstViolation());
        vm.assertEq(h.paidBelowPrice(), 0, h.firstViolation());
    }

    /// @dev The debt of a position in auction stays in the market's totals (and keeps accruing); every take
    /// moves them by exactly what it paid and wrote off; the books still add up.
    function _debtAndBadDebtAccountedExactly() internal view {
        vm.assertEq(h.debtMismatch(), 0, h.firstViolation());
        Market memory m = pool.market(id);
        address[3] memory borrowers = h.borrowers();
        uint256 shares;
        uint256 collateral;
        for (uint256 i; i < 3; ++i) {
            Position memory pos = pool.positionShares(id, borrowers[i]);
            shares += pos.borrowShares;
            collateral += pos.collateral;
        }
        vm.assertEq(m.totalBorrowShares, shares, "borrow shares sum");
        vm.assertEq(m.totalCollateral, collateral, "collateral sum");
        vm.assertEq(h.token().balanceOf(address(pool)), collateral, "the pool holds every lot");
        vm.assertGe(
            h.usd().balanceOf(address(pool)) + m.totalBorrowAssets, m.totalSupplyAssets, "lenders covered"
        );
    }

    function _leftoversReachTheBorrower() internal view {
        vm.assertEq(h.leftoverMismatch(), 0, h.firstViolation());
        address[3] memory borrowers = h.borrowers();
        for (uint256 i; i < 3; ++i) {
            uint256 auctionId = auction.activeAuction(id, borrowers[i]);
            CureFlag memory f = pool.cureFlag(id, borrowers[i]);
            vm.assertEq(f.inAuction, auctionId != 0, "locked exactly while in auction");
            if (auctionId != 0) vm.assertTrue(auction.auction(auctionId).active, "active");
        }
    }

    function _cureWindowRespectedUnlessUnderTheFloor() internal view {
        vm.assertEq(h.cureViolation(), 0, h.firstViolation());
    }

    function _report() internal {
        emit log_string(string.concat(
                "starts ",
                vm.toString(h.starts()),
                " takes ",
                vm.toString(h.takes()),
                " ends ",
                vm.toString(h.ends())
            ));
    }
}
