// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {AppraisalOracle} from "../../src/AppraisalOracle.sol";
import {IAppraisalOracle} from "../../src/interfaces/IAppraisalOracle.sol";
import {vm} from "../../std/Vm.sol";
import {ComplianceFixture} from "../utils/ComplianceFixture.sol";

contract AppraisalOracleTest is ComplianceFixture {
    event FeedConfigured(address indexed token, uint256 maxAge, uint256 maxMoveBps);
    event AppraiserSet(address indexed token, address indexed appraiser, bool allowed);
    event AppraisalUpdated(address indexed token, uint256 price, uint256 updatedAt, address indexed source);
    event AppraisalProposed(
        address indexed token, uint256 price, uint256 executableAt, address indexed appraiser
    );
    event AppraisalCancelled(address indexed token, uint256 price, address indexed admin);
    event AppraisalForced(address indexed token, uint256 price, address indexed admin, string reason);
    event AppraisalWindowOpened(address indexed token, uint256 referencePrice, uint256 startedAt);

    uint256 private constant MAX_AGE = 30 days;
    uint256 private constant MAX_MOVE_BPS = 1000; // 10 %
    uint256 private constant DELAY = 2 days;
    uint256 private constant VALIDITY = 1 days;
    uint256 private constant START = 1_700_000_000;

    /// @dev 52.40 USD per whole token in a 6-decimal stablecoin: 52.40e6 * 1e36 / 1e18.
    uint256 private constant PRICE = 52.4e24;
    /// @dev PRICE moved by exactly MAX_MOVE_BPS (PRICE is divisible, so these are exact).
    uint256 private constant PRICE_UP_BOUND = 57.64e24;
    uint256 private constant PRICE_DOWN_BOUND = 47.16e24;

    address private token;
    address private otherToken;

    function setUp() public override {
        super.setUp();
        token = address(property);
        otherToken = makeAddr("otherProperty");
        vm.warp(START);
        vm.startPrank(admin);
        oracle.configureFeed(token, MAX_AGE, MAX_MOVE_BPS);
        oracle.setAppraiser(token, appraiser, true);
        vm.stopPrank();
    }

    // ------------------------------------------------------------------ constructor and constants

    function test_constructor_grantsAdminRoleOnly() public view {
        vm.assertTrue(oracle.hasRole(DEFAULT_ADMIN_ROLE, admin), "admin");
        vm.assertFalse(oracle.hasRole(DEFAULT_ADMIN_ROLE, appraiser), "appraiser is not admin");
    }

    function test_constructor_revertsWhenAdminIsZero() public {
        vm.expectRevert(abi.encodeWithSelector(IAppraisalOracle.ZeroAddress.selector));
        new AppraisalOracle(address(0));
    }

    function test_constants_priceScaleAndDelay() public view {
        vm.assertEq(oracle.PRICE_SCALE(), 1e36, "PRICE_SCALE");
        vm.assertEq(oracle.LARGE_MOVE_DELAY(), 2 days, "LARGE_MOVE_DELAY");
        vm.assertEq(oracle.PROPOSAL_VALIDITY(), 1 days, "PROPOSAL_VALIDITY");
    }

    // ------------------------------------------------------------------ configureFeed

    function test_configureFeed_storesParametersAndEmits() public {
        vm.expectEmit(true, true, true, true, address(oracle));
        emit FeedConfigured(otherToken, 7 days, 250);
        vm.prank(admin);
        oracle.configureFeed(otherToken, 7 days, 250);

        IAppraisalOracle.Feed memory f = oracle.feed(otherToken);
        vm.assertEq(f.maxAge, 7 days, "maxAge");
        vm.assertEq(f.maxMoveBps, 250, "maxMoveBps");
        vm.assertEq(f.price, 0, "no price yet");
        vm.assertEq(f.updatedAt, 0, "never updated");
    }

    function test_configureFeed_acceptsBoundaryValues() public {
        vm.startPrank(admin);
        oracle.configureFeed(otherToken, 1, 1);
        vm.assertEq(oracle.feed(otherToken).maxMoveBps, 1, "1 bps");
        oracle.configureFeed(otherToken, 1, 10_000);
        vm.assertEq(oracle.feed(otherToken).maxMoveBps, 10_000, "10_000 bps");
        vm.assertEq(oracle.feed(otherToken).maxAge, 1, "maxAge 1");
        vm.stopPrank();
    }

    function test_configureFeed_reconfigureKeepsPriceAndUpdatedAt() public {
        _force(PRICE);
        vm.warp(START + 1 days);
        vm.prank(admin);
        oracle.configureFeed(token, 90 days, 500);

        IAppraisalOracle.Feed memory f = oracle.feed(token);
        vm.assertEq(f.price, PRICE, "price kept");
        vm.assertEq(f.updatedAt, START, "updatedAt kept");
        vm.assertEq(f.maxAge, 90 days, "maxAge");
        vm.assertEq(f.maxMoveBps, 500, "maxMoveBps");
        vm.assertTrue(oracle.isAppraiser(token, appraiser), "appraiser kept");
    }

    function test_configureFeed_revertsWhenMaxAgeIsZero() public {
        vm.expectRevert(abi.encodeWithSelector(IAppraisalOracle.InvalidFeedConfig.selector, 0, MAX_MOVE_BPS));
        vm.prank(admin);
        oracle.configureFeed(otherToken, 0, MAX_MOVE_BPS);
    }

    function test_configureFeed_revertsWhenMaxMoveBpsIsZero() public {
        vm.expectRevert(abi.encodeWithSelector(IAppraisalOracle.InvalidFeedConfig.selector, MAX_AGE, 0));
        vm.prank(admin);
        oracle.configureFeed(otherToken, MAX_AGE, 0);
    }

    function test_configureFeed_revertsWhenMaxMoveBpsAboveTenThousand() public {
        vm.expectRevert(abi.encodeWithSelector(IAppraisalOracle.InvalidFeedConfig.selector, MAX_AGE, 10_001));
        vm.prank(admin);
        oracle.configureFeed(otherToken, MAX_AGE, 10_001);
    }

    function test_configureFeed_revertsWhenTokenIsZero() public {
        vm.expectRevert(abi.encodeWithSelector(IAppraisalOracle.ZeroAddress.selector));
        vm.prank(admin);
        oracle.configureFeed(address(0), MAX_AGE, MAX_MOVE_BPS);
    }

    function test_configureFeed_revertsWhenCallerIsNotAdmin() public {
        vm.expectRevert(
            abi.encodeWithSelector(
                IAccessControl.AccessControlUnauthorizedAccount.selector, appraiser, DEFAULT_ADMIN_ROLE
            )
        );
        vm.prank(appraiser);
        oracle.configureFeed(token, MAX_AGE, 10_000);
    }

    function testFuzz_configureFeed_acceptsExactlyValidRanges(uint256 maxAge, uint256 maxMoveBps) public {
        maxAge = bound(maxAge, 0, 365 days);
        maxMoveBps = bound(maxMoveBps, 0, 20_000);
        bool valid = maxAge > 0 && maxMoveBps > 0 && maxMoveBps <= 10_000;
        if (!valid) {
            vm.expectRevert(
                abi.encodeWithSelector(IAppraisalOracle.InvalidFeedConfig.selector, maxAge, maxMoveBps)
            );
        }
        vm.prank(admin);
        oracle.configureFeed(otherToken, maxAge, maxMoveBps);
        if (valid) {
            vm.assertEq(oracle.feed(otherToken).maxAge, maxAge, "maxAge");
            vm.assertEq(oracle.feed(otherToken).maxMoveBps, maxMoveBps, "maxMoveBps");
        }
    }

    // ------------------------------------------------------------------ setAppraiser / isAppraiser

    function test_setAppraiser_allowsAndEmits() public {
        vm.expectEmit(true, true, true, true, address(oracle));
        emit AppraiserSet(token, carol, true);
        vm.prank(admin);
        oracle.setAppraiser(token, carol, true);
        vm.assertTrue(oracle.isAppraiser(token, carol), "carol");
    }

    function test_setAppraiser_disallowsAndEmits() public {
        _force(PRICE);
        vm.expectEmit(true, true, true, true, address(oracle));
        emit AppraiserSet(token, appraiser, false);
        vm.prank(admin);
        oracle.setAppraiser(token, appraiser, false);
        vm.assertFalse(oracle.isAppraiser(token, appraiser), "removed");

        vm.expectRevert(abi.encodeWithSelector(IAppraisalOracle.NotAppraiser.selector, token, appraiser));
        vm.prank(appraiser);
        oracle.submitAppraisal(token, PRICE);
    }

    function test_setAppraiser_isPerToken() public {
        vm.startPrank(admin);
        oracle.configureFeed(otherToken, MAX_AGE, MAX_MOVE_BPS);
        oracle.forceAppraisal(otherToken, PRICE, "initial appraisal");
        vm.stopPrank();
        vm.assertFalse(oracle.isAppraiser(otherToken, appraiser), "not for other token");

        vm.expectRevert(abi.encodeWithSelector(IAppraisalOracle.NotAppraiser.selector, otherToken, appraiser));
        vm.prank(appraiser);
        oracle.submitAppraisal(otherToken, PRICE);
    }

    function test_isAppraiser_falseByDefault() public view {
        vm.assertFalse(oracle.isAppraiser(token, stranger), "stranger");
        vm.assertFalse(oracle.isAppraiser(token, admin), "admin is not an appraiser");
    }

    function test_setAppraiser_revertsWhenFeedUnknown() public {
        vm.expectRevert(abi.encodeWithSelector(IAppraisalOracle.UnknownFeed.selector, otherToken));
        vm.prank(admin);
        oracle.setAppraiser(otherToken, appraiser, true);
    }

    function test_setAppraiser_revertsWhenTokenIsZero() public {
        vm.expectRevert(abi.encodeWithSelector(IAppraisalOracle.ZeroAddress.selector));
        vm.prank(admin);
        oracle.setAppraiser(address(0), appraiser, true);
    }

    function test_setAppraiser_revertsWhenAppraiserIsZero() public {
        vm.expectRevert(abi.encodeWithSelector(IAppraisalOracle.ZeroAddress.selector));
        vm.prank(admin);
        oracle.setAppraiser(token, address(0), true);
    }

    function test_setAppraiser_revertsWhenCallerIsNotAdmin() public {
        vm.expectRevert(
            abi.encodeWithSelector(
                IAccessControl.AccessControlUnauthorizedAccount.selector, appraiser, DEFAULT_ADMIN_ROLE
            )
        );
        vm.prank(appraiser);
        oracle.setAppraiser(token, carol, true);
    }

    // ------------------------------------------------------------------ feed

    function test_feed_zeroForUnknownToken() public view {
        IAppraisalOracle.Feed memory f = oracle.feed(otherToken);
        vm.assertEq(f.price + f.updatedAt + f.maxAge + f.maxMoveBps, 0, "all zero");
    }

    // ------------------------------------------------------------------ submitAppraisal

    function test_submitAppraisal_revertsWhenNoPrice() public {
        // The first price has no reference to bound against; it must come through forceAppraisal.
        vm.expectRevert(abi.encodeWithSelector(IAppraisalOracle.NoPrice.selector, token));
        vm.prank(appraiser);
        oracle.submitAppraisal(token, PRICE);
    }

    function test_submitAppraisal_updatesPriceAndEmits() public {
        _force(PRICE);
        vm.warp(START + 10 days);
        uint256 newPrice = 53e24;

        vm.expectEmit(true, true, true, true, address(oracle));
        emit AppraisalUpdated(token, newPrice, START + 10 days, appraiser);
        vm.prank(appraiser);
        oracle.submitAppraisal(token, newPrice);

        (uint256 price, uint256 updatedAt) = oracle.latestPrice(token);
        vm.assertEq(price, newPrice, "price");
        vm.assertEq(updatedAt, START + 10 days, "updatedAt");
    }

    function test_submitAppraisal_allowsSamePriceAndRefreshesUpdatedAt() public {
        _force(PRICE);
        vm.warp(START + MAX_AGE);
        _submit(PRICE);
        (, uint256 updatedAt) = oracle.latestPrice(token);
        vm.assertEq(updatedAt, START + MAX_AGE, "updatedAt refreshed");
    }

    function test_submitAppraisal_allowsMoveUpOfExactlyTheBound() public {
        _force(PRICE);
        _submit(PRICE_UP_BOUND);
        vm.assertEq(_price(), PRICE_UP_BOUND, "price");
    }

    function test_submitAppraisal_allowsMoveDownOfExactlyTheBound() public {
        _force(PRICE);
        _submit(PRICE_DOWN_BOUND);
        vm.assertEq(_price(), PRICE_DOWN_BOUND, "price");
    }

    function test_submitAppraisal_revertsWhenOneWeiAboveBoundUp() public {
        _force(PRICE);
        vm.expectRevert(
            abi.encodeWithSelector(
                IAppraisalOracle.PriceMoveTooLarge.selector, token, PRICE, PRICE_UP_BOUND + 1, MAX_MOVE_BPS
            )
        );
        vm.prank(appraiser);
        oracle.submitAppraisal(token, PRICE_UP_BOUND + 1);
    }

    function test_submitAppraisal_revertsWhenOneWeiBeyondBoundDown() public {
        _force(PRICE);
        vm.expectRevert(
            abi.encodeWithSelector(
                IAppraisalOracle.PriceMoveTooLarge.selector, token, PRICE, PRICE_DOWN_BOUND - 1, MAX_MOVE_BPS
            )
        );
        vm.prank(appraiser);
        oracle.submitAppraisal(token, PRICE_DOWN_BOUND - 1);
    }

    function test_submitAppraisal_boundRoundsInFavourOfTheCheck() public {
        // 10 % of 1e24 + 7 is 1e23 + 0.7: a move of 1e23 fits, 1e23 + 1 does not, in both directions.
        uint256 oldPrice = 1e24 + 7;
        _force(oldPrice);
        _submit(oldPrice + 1e23);
        _force(oldPrice);
        _submit(oldPrice - 1e23);

        _force(oldPrice);
        vm.expectRevert(
            abi.encodeWithSelector(
                IAppraisalOracle.PriceMoveTooLarge.selector,
                token,
                oldPrice,
                oldPrice + 1e23 + 1,
                MAX_MOVE_BPS
            )
        );
        vm.prank(appraiser);
        oracle.submitAppraisal(token, oldPrice + 1e23 + 1);

        vm.expectRevert(
            abi.encodeWithSelector(
                IAppraisalOracle.PriceMoveTooLarge.selector,
                token,
                oldPrice,
                oldPrice - 1e23 - 1,
                MAX_MOVE_BPS
            )
        );
        vm.prank(appraiser);
        oracle.submitAppraisal(token, oldPrice - 1e23 - 1);
    }

    /// @notice Finding 1: the bound is the window's, not the update's; eleven -10% steps in one block used to
    /// take the price from 100 to 31. Now the second step already leaves the window's bound.
    function test_submitAppraisal_revertsWhenStepsChainBeyondTheWindowBound() public {
        _force(PRICE);
        _submit(PRICE_DOWN_BOUND); // -10 %
        uint256 next = PRICE_DOWN_BOUND * 9000 / 10_000; // another -10 % from the last price
        vm.expectRevert(
            abi.encodeWithSelector(
                IAppraisalOracle.PriceMoveTooLarge.selector, token, PRICE, next, MAX_MOVE_BPS
            )
        );
        vm.prank(appraiser);
        oracle.submitAppraisal(token, next);
        _submit(PRICE_UP_BOUND); // anywhere inside the window's bound is still fine
        _submit(PRICE_DOWN_BOUND);
        vm.assertEq(_price(), PRICE_DOWN_BOUND, "inside the bound");
    }

    function test_submitAppraisal_nextWindowIsMeasuredFromThePriceWhenItOpens() public {
        _force(PRICE);
        _submit(PRICE_UP_BOUND);
        vm.warp(START + DELAY - 1);
        vm.expectRevert(
            abi.encodeWithSelector(
                IAppraisalOracle.PriceMoveTooLarge.selector,
                token,
                PRICE,
                PRICE_UP_BOUND * 11_000 / 10_000,
                MAX_MOVE_BPS
            )
        );
        vm.prank(appraiser);
        oracle.submitAppraisal(token, PRICE_UP_BOUND * 11_000 / 10_000);

        vm.warp(START + DELAY);
        vm.expectEmit(true, true, true, true, address(oracle));
        emit AppraisalWindowOpened(token, PRICE_UP_BOUND, START + DELAY);
        _submit(PRICE_UP_BOUND * 11_000 / 10_000);
        (uint256 referencePrice, uint256 startedAt) = oracle.appraisalWindow(token);
        vm.assertEq(referencePrice, PRICE_UP_BOUND, "reference");
        vm.assertEq(startedAt, START + DELAY, "started");
    }

    function test_forceAppraisal_opensAWindowAndCancelsThePendingProposal() public {
        _force(PRICE);
        _propose(2 * PRICE);
        vm.expectEmit(true, true, true, true, address(oracle));
        emit AppraisalCancelled(token, 2 * PRICE, admin);
        _force(PRICE / 2);
        vm.assertEq(oracle.pendingAppraisal(token).executableAt, 0, "cleared");
        (uint256 referencePrice,) = oracle.appraisalWindow(token);
        vm.assertEq(referencePrice, PRICE / 2, "window at the forced price");
    }

    function test_executeAppraisal_opensAWindowAtTheExecutedPrice() public {
        _force(PRICE);
        _propose(2 * PRICE);
        vm.warp(START + DELAY);
        oracle.executeAppraisal(token);
        (uint256 referencePrice, uint256 startedAt) = oracle.appraisalWindow(token);
        vm.assertEq(referencePrice, 2 * PRICE, "reference");
        vm.assertEq(startedAt, START + DELAY, "started");
        _submit(2 * PRICE * 11_000 / 10_000);
    }

    function test_submitAppraisal_fullBoundAllowsDoublingAndDropToOneWei() public {
        vm.prank(admin);
        oracle.configureFeed(token, MAX_AGE, 10_000);
        _force(PRICE);
        _submit(2 * PRICE);
        vm.assertEq(_price(), 2 * PRICE, "doubled");
        _submit(1);
        vm.assertEq(_price(), 1, "down to one wei");
        vm.expectRevert(
            abi.encodeWithSelector(
                IAppraisalOracle.PriceMoveTooLarge.selector, token, PRICE, 2 * PRICE + 1, 10_000
            )
        );
        vm.prank(appraiser);
        oracle.submitAppraisal(token, 2 * PRICE + 1);
    }

    function test_submitAppraisal_revertsWhenPriceIsZero() public {
        _force(PRICE);
        vm.expectRevert(abi.encodeWithSelector(IAppraisalOracle.ZeroPrice.selector));
        vm.prank(appraiser);
        oracle.submitAppraisal(token, 0);
    }

    function test_submitAppraisal_revertsWhenCallerIsNotAppraiser() public {
        _force(PRICE);
        vm.expectRevert(abi.encodeWithSelector(IAppraisalOracle.NotAppraiser.selector, token, stranger));
        vm.prank(stranger);
        oracle.submitAppraisal(token, PRICE);

        // The admin is not an appraiser either: its path is forceAppraisal.
        vm.expectRevert(abi.encodeWithSelector(IAppraisalOracle.NotAppraiser.selector, token, admin));
        vm.prank(admin);
        oracle.submitAppraisal(token, PRICE);
    }

    function test_submitAppraisal_revertsWhenFeedUnknown() public {
        // Nobody can be an appraiser of an unconfigured token, so the appraiser check answers first.
        vm.expectRevert(abi.encodeWithSelector(IAppraisalOracle.NotAppraiser.selector, otherToken, appraiser));
        vm.prank(appraiser);
        oracle.submitAppraisal(otherToken, PRICE);
    }

    function test_submitAppraisal_leavesPendingProposalInPlace() public {
        _force(PRICE);
        _propose(2 * PRICE);
        _submit(PRICE_UP_BOUND);
        vm.assertEq(oracle.pendingAppraisal(token).price, 2 * PRICE, "proposal untouched");
    }

    /// @dev The contract compares |new - old| * 10_000 <= old * maxMoveBps. Independently: the allowed
    /// prices are the integers in [old * (10_000 - bps) / 10_000, old * (10_000 + bps) / 10_000], the lower
    /// end rounded up and the upper end rounded down. New prices are drawn near both ends and anywhere.
    function testFuzz_submitAppraisal_boundMatchesIndependentFormula(
        uint256 oldPrice,
        uint256 maxMoveBps,
        uint256 pick,
        uint256 offset
    ) public {
        oldPrice = bound(oldPrice, 1, 1e60);
        maxMoveBps = bound(maxMoveBps, 1, 10_000);
        (uint256 lo, uint256 hi, uint256 newPrice) = _candidate(oldPrice, maxMoveBps, pick, offset);

        vm.prank(admin);
        oracle.configureFeed(token, MAX_AGE, maxMoveBps);
        _force(oldPrice);

        bool allowed = newPrice >= lo && newPrice <= hi;
        if (!allowed) {
            vm.expectRevert(
                abi.encodeWithSelector(
                    IAppraisalOracle.PriceMoveTooLarge.selector, token, oldPrice, newPrice, maxMoveBps
                )
            );
        }
        vm.prank(appraiser);
        oracle.submitAppraisal(token, newPrice);
        vm.assertEq(_price(), allowed ? newPrice : oldPrice, "price");
    }

    // ------------------------------------------------------------------ proposeAppraisal

    function test_proposeAppraisal_storesPendingAndEmits() public {
        _force(PRICE);
        uint256 newPrice = PRICE / 2;
        vm.expectEmit(true, true, true, true, address(oracle));
        emit AppraisalProposed(token, newPrice, START + DELAY, appraiser);
        vm.prank(appraiser);
        oracle.proposeAppraisal(token, newPrice);

        IAppraisalOracle.PendingAppraisal memory p = oracle.pendingAppraisal(token);
        vm.assertEq(p.price, newPrice, "price");
        vm.assertEq(p.executableAt, START + DELAY, "executableAt");
        vm.assertEq(p.appraiser, appraiser, "appraiser");
        vm.assertEq(_price(), PRICE, "current price unchanged");
    }

    function test_proposeAppraisal_acceptsOneWeiBeyondBound() public {
        _force(PRICE);
        _propose(PRICE_UP_BOUND + 1);
        vm.assertEq(oracle.pendingAppraisal(token).price, PRICE_UP_BOUND + 1, "up");
        vm.prank(admin);
        oracle.cancelAppraisal(token);
        _propose(PRICE_DOWN_BOUND - 1);
        vm.assertEq(oracle.pendingAppraisal(token).price, PRICE_DOWN_BOUND - 1, "down");
    }

    function test_proposeAppraisal_revertsWhenMoveIsExactlyTheBound() public {
        _force(PRICE);
        vm.expectRevert(
            abi.encodeWithSelector(
                IAppraisalOracle.PriceMoveWithinBound.selector, token, PRICE, PRICE_UP_BOUND
            )
        );
        vm.prank(appraiser);
        oracle.proposeAppraisal(token, PRICE_UP_BOUND);

        vm.expectRevert(
            abi.encodeWithSelector(
                IAppraisalOracle.PriceMoveWithinBound.selector, token, PRICE, PRICE_DOWN_BOUND
            )
        );
        vm.prank(appraiser);
        oracle.proposeAppraisal(token, PRICE_DOWN_BOUND);
    }

    function test_proposeAppraisal_revertsWhenMoveIsSmall() public {
        _force(PRICE);
        vm.expectRevert(
            abi.encodeWithSelector(IAppraisalOracle.PriceMoveWithinBound.selector, token, PRICE, PRICE + 1)
        );
        vm.prank(appraiser);
        oracle.proposeAppraisal(token, PRICE + 1);
    }

    /// @notice Finding 3: an honest -50% proposal (a fire) cannot be overwritten by another appraiser's +50%
    /// one second before it becomes executable; the loss is recorded on time.
    function test_proposeAppraisal_revertsWhileAnotherIsPending() public {
        address second = makeAddr("secondAppraiser");
        vm.prank(admin);
        oracle.setAppraiser(token, second, true);
        _force(PRICE);
        _propose(PRICE / 2);
        vm.warp(START + DELAY - 1);
        vm.expectRevert(
            abi.encodeWithSelector(
                IAppraisalOracle.AppraisalAlreadyPending.selector, token, PRICE / 2, START + DELAY
            )
        );
        vm.prank(second);
        oracle.proposeAppraisal(token, PRICE * 3 / 2);
        vm.warp(START + DELAY);
        oracle.executeAppraisal(token);
        vm.assertEq(_price(), PRICE / 2, "the loss is recorded");
    }

    function test_proposeAppraisal_replacesAfterTheAdminCancels() public {
        _force(PRICE);
        _propose(2 * PRICE);
        vm.warp(START + 1 days);
        vm.prank(admin);
        oracle.cancelAppraisal(token);
        vm.expectEmit(true, true, true, true, address(oracle));
        emit AppraisalProposed(token, 3 * PRICE, START + 1 days + DELAY, appraiser);
        _propose(3 * PRICE);

        IAppraisalOracle.PendingAppraisal memory p = oracle.pendingAppraisal(token);
        vm.assertEq(p.price, 3 * PRICE, "price replaced");
        vm.assertEq(p.executableAt, START + 1 days + DELAY, "delay restarts");

        // The first proposal's time passing does not make the replacement executable early.
        vm.warp(START + DELAY);
        vm.expectRevert(
            abi.encodeWithSelector(IAppraisalOracle.AppraisalNotReady.selector, token, START + 1 days + DELAY)
        );
        oracle.executeAppraisal(token);
    }

    function test_proposeAppraisal_revertsWhenNoPrice() public {
        vm.expectRevert(abi.encodeWithSelector(IAppraisalOracle.NoPrice.selector, token));
        vm.prank(appraiser);
        oracle.proposeAppraisal(token, PRICE);
    }

    function test_proposeAppraisal_revertsWhenPriceIsZero() public {
        _force(PRICE);
        vm.expectRevert(abi.encodeWithSelector(IAppraisalOracle.ZeroPrice.selector));
        vm.prank(appraiser);
        oracle.proposeAppraisal(token, 0);
    }

    function test_proposeAppraisal_revertsWhenCallerIsNotAppraiser() public {
        _force(PRICE);
        vm.expectRevert(abi.encodeWithSelector(IAppraisalOracle.NotAppraiser.selector, token, stranger));
        vm.prank(stranger);
        oracle.proposeAppraisal(token, 2 * PRICE);
    }

    /// @dev A proposal is accepted exactly when an ordinary update of the same price would be refused.
    function testFuzz_proposeAppraisal_acceptedExactlyWhenBeyondBound(
        uint256 oldPrice,
        uint256 maxMoveBps,
        uint256 pick,
        uint256 offset
    ) public {
        oldPrice = bound(oldPrice, 1, 1e60);
        maxMoveBps = bound(maxMoveBps, 1, 10_000);
        (uint256 lo, uint256 hi, uint256 newPrice) = _candidate(oldPrice, maxMoveBps, pick, offset);

        vm.prank(admin);
        oracle.configureFeed(token, MAX_AGE, maxMoveBps);
        _force(oldPrice);

        bool withinBound = newPrice >= lo && newPrice <= hi;
        if (withinBound) {
            vm.expectRevert(
                abi.encodeWithSelector(
                    IAppraisalOracle.PriceMoveWithinBound.selector, token, oldPrice, newPrice
                )
            );
        }
        vm.prank(appraiser);
        oracle.proposeAppraisal(token, newPrice);
        vm.assertEq(oracle.pendingAppraisal(token).price, withinBound ? 0 : newPrice, "pending price");
    }

    // ------------------------------------------------------------------ executeAppraisal

    function test_executeAppraisal_revertsWhenNothingPending() public {
        _force(PRICE);
        vm.expectRevert(abi.encodeWithSelector(IAppraisalOracle.NoPendingAppraisal.selector, token));
        oracle.executeAppraisal(token);
    }

    function test_executeAppraisal_revertsWhenProposerWasRemoved() public {
        _force(PRICE);
        _propose(2 * PRICE);
        vm.prank(admin);
        oracle.setAppraiser(token, appraiser, false);
        vm.warp(START + DELAY);
        vm.expectRevert(abi.encodeWithSelector(IAppraisalOracle.NotAppraiser.selector, token, appraiser));
        vm.prank(stranger);
        oracle.executeAppraisal(token);
        vm.assertEq(_price(), PRICE, "price unchanged");
    }

    function test_executeAppraisal_revertsRightAfterProposal() public {
        _force(PRICE);
        _propose(2 * PRICE);
        vm.expectRevert(
            abi.encodeWithSelector(IAppraisalOracle.AppraisalNotReady.selector, token, START + DELAY)
        );
        oracle.executeAppraisal(token);
    }

    function test_executeAppraisal_revertsOneSecondBeforeExecutableAt() public {
        _force(PRICE);
        _propose(2 * PRICE);
        vm.warp(START + DELAY - 1);
        vm.expectRevert(
            abi.encodeWithSelector(IAppraisalOracle.AppraisalNotReady.selector, token, START + DELAY)
        );
        vm.prank(stranger);
        oracle.executeAppraisal(token);
        vm.assertEq(_price(), PRICE, "price unchanged");
    }

    function test_executeAppraisal_appliesAtExactlyExecutableAt() public {
        _force(PRICE);
        _propose(2 * PRICE);
        vm.warp(START + DELAY);

        // Anyone may execute; the executor is the event's source.
        vm.expectEmit(true, true, true, true, address(oracle));
        emit AppraisalUpdated(token, 2 * PRICE, START + DELAY, stranger);
        vm.prank(stranger);
        oracle.executeAppraisal(token);

        (uint256 price, uint256 updatedAt) = oracle.latestPrice(token);
        vm.assertEq(price, 2 * PRICE, "price");
        vm.assertEq(updatedAt, START + DELAY, "updatedAt is the execution time");
        IAppraisalOracle.PendingAppraisal memory p = oracle.pendingAppraisal(token);
        vm.assertEq(p.executableAt, 0, "pending cleared");
        vm.assertEq(p.price, 0, "pending price cleared");
        vm.assertEq(p.appraiser, address(0), "pending appraiser cleared");
    }

    function test_executeAppraisal_appliesUntilTheEndOfItsValidity() public {
        _force(PRICE);
        _propose(PRICE / 4);
        vm.warp(START + DELAY + VALIDITY);
        oracle.executeAppraisal(token);
        vm.assertEq(_price(), PRICE / 4, "price");
    }

    /// @notice Finding 3: a +100% proposal left pending for 90 days of ordinary updates near the old price
    /// can no longer be executed by anyone at the end.
    function test_executeAppraisal_revertsWhenExpired() public {
        _force(PRICE);
        _propose(2 * PRICE);
        for (uint256 day = 3; day <= 90; day += 3) {
            vm.warp(START + day * 1 days);
            _submit(day % 2 == 0 ? PRICE + 1 : PRICE - 1);
        }
        vm.expectRevert(
            abi.encodeWithSelector(
                IAppraisalOracle.AppraisalExpired.selector, token, START + DELAY + VALIDITY
            )
        );
        oracle.executeAppraisal(token);
        vm.assertEq(_price(), PRICE + 1, "the ordinary price stands");
    }

    function test_proposeAppraisal_replacesAnExpiredProposal() public {
        _force(PRICE);
        _propose(2 * PRICE);
        vm.warp(START + DELAY + VALIDITY + 1);
        _propose(3 * PRICE);
        vm.assertEq(oracle.pendingAppraisal(token).price, 3 * PRICE, "replaced once expired");
    }

    function test_executeAppraisal_revertsWhenExecutedTwice() public {
        _force(PRICE);
        _propose(2 * PRICE);
        vm.warp(START + DELAY);
        oracle.executeAppraisal(token);
        vm.expectRevert(abi.encodeWithSelector(IAppraisalOracle.NoPendingAppraisal.selector, token));
        oracle.executeAppraisal(token);
    }

    // ------------------------------------------------------------------ cancelAppraisal

    function test_cancelAppraisal_clearsPendingAndEmits() public {
        _force(PRICE);
        _propose(2 * PRICE);
        vm.expectEmit(true, true, true, true, address(oracle));
        emit AppraisalCancelled(token, 2 * PRICE, admin);
        vm.prank(admin);
        oracle.cancelAppraisal(token);

        vm.assertEq(oracle.pendingAppraisal(token).executableAt, 0, "cleared");
        vm.warp(START + DELAY);
        vm.expectRevert(abi.encodeWithSelector(IAppraisalOracle.NoPendingAppraisal.selector, token));
        oracle.executeAppraisal(token);
        vm.assertEq(_price(), PRICE, "price unchanged");
    }

    function test_cancelAppraisal_revertsWhenNothingPending() public {
        vm.expectRevert(abi.encodeWithSelector(IAppraisalOracle.NoPendingAppraisal.selector, token));
        vm.prank(admin);
        oracle.cancelAppraisal(token);
    }

    function test_cancelAppraisal_revertsWhenCallerIsNotAdmin() public {
        _force(PRICE);
        _propose(2 * PRICE);
        vm.expectRevert(
            abi.encodeWithSelector(
                IAccessControl.AccessControlUnauthorizedAccount.selector, appraiser, DEFAULT_ADMIN_ROLE
            )
        );
        vm.prank(appraiser);
        oracle.cancelAppraisal(token);
        vm.assertEq(oracle.pendingAppraisal(token).price, 2 * PRICE, "still pending");
    }

    // ------------------------------------------------------------------ forceAppraisal

    function test_forceAppraisal_setsFirstPriceAndEmitsForcedThenUpdated() public {
        vm.expectEmit(true, true, true, true, address(oracle));
        emit AppraisalForced(token, PRICE, admin, "initial appraisal");
        vm.expectEmit(true, true, true, true, address(oracle));
        emit AppraisalUpdated(token, PRICE, START, admin);
        vm.prank(admin);
        oracle.forceAppraisal(token, PRICE, "initial appraisal");

        (uint256 price, uint256 updatedAt) = oracle.latestPrice(token);
        vm.assertEq(price, PRICE, "price");
        vm.assertEq(updatedAt, START, "updatedAt");
    }

    function test_forceAppraisal_allowsAnyMoveAtOnce() public {
        _force(PRICE);
        vm.warp(START + 3 hours);
        vm.prank(admin);
        oracle.forceAppraisal(token, PRICE / 10, "fire: structure condemned");
        (uint256 price, uint256 updatedAt) = oracle.latestPrice(token);
        vm.assertEq(price, PRICE / 10, "price");
        vm.assertEq(updatedAt, START + 3 hours, "updatedAt");
    }

    function test_forceAppraisal_clearsPendingProposal() public {
        _force(PRICE);
        _propose(2 * PRICE);
        _force(PRICE / 2);

        vm.assertEq(oracle.pendingAppraisal(token).executableAt, 0, "pending cleared");
        vm.warp(START + DELAY);
        vm.expectRevert(abi.encodeWithSelector(IAppraisalOracle.NoPendingAppraisal.selector, token));
        oracle.executeAppraisal(token);
        vm.assertEq(_price(), PRICE / 2, "forced price stands");
    }

    function test_forceAppraisal_revertsWhenReasonIsEmpty() public {
        vm.expectRevert(abi.encodeWithSelector(IAppraisalOracle.EmptyReason.selector));
        vm.prank(admin);
        oracle.forceAppraisal(token, PRICE, "");
    }

    function test_forceAppraisal_revertsWhenPriceIsZero() public {
        vm.expectRevert(abi.encodeWithSelector(IAppraisalOracle.ZeroPrice.selector));
        vm.prank(admin);
        oracle.forceAppraisal(token, 0, "zero");
    }

    function test_forceAppraisal_revertsWhenFeedUnknown() public {
        vm.expectRevert(abi.encodeWithSelector(IAppraisalOracle.UnknownFeed.selector, otherToken));
        vm.prank(admin);
        oracle.forceAppraisal(otherToken, PRICE, "initial appraisal");
    }

    function test_forceAppraisal_revertsWhenCallerIsNotAdmin() public {
        vm.expectRevert(
            abi.encodeWithSelector(
                IAccessControl.AccessControlUnauthorizedAccount.selector, appraiser, DEFAULT_ADMIN_ROLE
            )
        );
        vm.prank(appraiser);
        oracle.forceAppraisal(token, PRICE, "appraisers cannot force");
    }

    // ------------------------------------------------------------------ latestPrice

    function test_latestPrice_revertsWhenFeedUnknown() public {
        vm.expectRevert(abi.encodeWithSelector(IAppraisalOracle.UnknownFeed.selector, otherToken));
        oracle.latestPrice(otherToken);
    }

    function test_latestPrice_revertsWhenNoPrice() public {
        vm.expectRevert(abi.encodeWithSelector(IAppraisalOracle.NoPrice.selector, token));
        oracle.latestPrice(token);
    }

    function test_latestPrice_returnsStalePriceWithoutReverting() public {
        _force(PRICE);
        vm.warp(START + 10 * MAX_AGE);
        (uint256 price, uint256 updatedAt) = oracle.latestPrice(token);
        vm.assertEq(price, PRICE, "price");
        vm.assertEq(updatedAt, START, "updatedAt");
        vm.assertTrue(oracle.isStale(token), "stale");
    }

    // ------------------------------------------------------------------ isStale

    function test_isStale_trueForUnknownFeed() public view {
        vm.assertTrue(oracle.isStale(otherToken), "unknown feed");
    }

    function test_isStale_trueBeforeFirstPrice() public view {
        vm.assertTrue(oracle.isStale(token), "no price");
    }

    function test_isStale_trueWithoutPriceEvenWhenMaxAgeCoversAllTime() public {
        // No price is stale whatever the clock says: updatedAt 0 + a century is still in the future.
        vm.prank(admin);
        oracle.configureFeed(token, 100 * 365 days, MAX_MOVE_BPS);
        vm.assertTrue(oracle.isStale(token), "no price");
    }

    function test_isStale_doesNotRevertWithLargestMaxAge() public {
        vm.prank(admin);
        oracle.configureFeed(token, type(uint256).max, 1000);
        _force(PRICE);
        vm.warp(START + 100 * 365 days);
        vm.assertFalse(oracle.isStale(token), "a maxAge of forever never goes stale");
    }

    function test_isStale_freshUntilExactlyMaxAgeThenStale() public {
        _force(PRICE);
        vm.assertFalse(oracle.isStale(token), "at updatedAt");
        vm.warp(START + MAX_AGE);
        vm.assertFalse(oracle.isStale(token), "at updatedAt + maxAge");
        vm.warp(START + MAX_AGE + 1);
        vm.assertTrue(oracle.isStale(token), "one second after");
    }

    function test_isStale_falseAgainAfterNewAppraisal() public {
        _force(PRICE);
        vm.warp(START + MAX_AGE + 1);
        _submit(PRICE);
        vm.assertFalse(oracle.isStale(token), "refreshed");
        vm.warp(START + 2 * MAX_AGE + 1);
        vm.assertFalse(oracle.isStale(token), "fresh until new updatedAt + maxAge");
        vm.warp(START + 2 * MAX_AGE + 2);
        vm.assertTrue(oracle.isStale(token), "stale again");
    }

    function test_isStale_followsReconfiguredMaxAge() public {
        _force(PRICE);
        vm.warp(START + 2 days);
        vm.prank(admin);
        oracle.configureFeed(token, 1 days, MAX_MOVE_BPS);
        vm.assertTrue(oracle.isStale(token), "shorter maxAge");
        vm.prank(admin);
        oracle.configureFeed(token, 2 days, MAX_MOVE_BPS);
        vm.assertFalse(oracle.isStale(token), "exactly the new maxAge");
    }

    function testFuzz_isStale_exactlyWhenOlderThanMaxAge(uint256 maxAge, uint256 elapsed) public {
        maxAge = bound(maxAge, 1, 10 * 365 days);
        elapsed = bound(elapsed, 0, 20 * 365 days);
        vm.prank(admin);
        oracle.configureFeed(token, maxAge, MAX_MOVE_BPS);
        _force(PRICE);
        vm.warp(START + elapsed);
        vm.assertEq(oracle.isStale(token), elapsed > maxAge, "stale iff elapsed > maxAge");
    }

    // ------------------------------------------------------------------ helpers

    function _force(uint256 price) private {
        vm.prank(admin);
        oracle.forceAppraisal(token, price, "appraisal by licensed appraiser");
    }

    function _submit(uint256 price) private {
        vm.prank(appraiser);
        oracle.submitAppraisal(token, price);
    }

    function _propose(uint256 price) private {
        vm.prank(appraiser);
        oracle.proposeAppraisal(token, price);
    }

    function _price() private view returns (uint256 price) {
        (price,) = oracle.latestPrice(token);
    }

    /// @dev The allowed range [lo, hi] computed without the contract's formula, and a positive candidate
    /// price: within 3 of lo (pick 0), within 3 of hi (pick 1), or anywhere in [1, 3 * old] (pick 2).
    function _candidate(uint256 oldPrice, uint256 maxMoveBps, uint256 pick, uint256 offset)
        private
        pure
        returns (uint256 lo, uint256 hi, uint256 newPrice)
    {
        lo = (oldPrice * (10_000 - maxMoveBps) + 9999) / 10_000; // rounded up
        hi = oldPrice * (10_000 + maxMoveBps) / 10_000; // rounded down
        uint256 mode = pick % 3;
        if (mode == 2) {
            newPrice = bound(offset, 1, 3 * oldPrice);
        } else {
            uint256 anchor = mode == 0 ? lo : hi;
            uint256 shift = offset % 7; // anchor - 3 .. anchor + 3
            newPrice = anchor + shift >= 3 ? anchor + shift - 3 : 0;
            if (newPrice == 0) newPrice = 1;
        }
    }
}
