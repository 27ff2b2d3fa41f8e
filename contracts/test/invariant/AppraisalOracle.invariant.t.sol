// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {Test} from "../../std/Test.sol";
import {vm} from "../../std/Vm.sol";
import {OracleHandler} from "./handlers/OracleHandler.sol";

/// @title AppraisalOracleInvariantTest
/// @notice Finding 1 and 3 of the security review as properties: under any sequence of submits, proposals,
/// executions, cancels, forced prices and time, ordinary updates never chain past the window's bound, and
/// proposals are never executed expired nor replaced while live.
contract AppraisalOracleInvariantTest is Test {
    OracleHandler internal handler;

    function setUp() public {
        handler = new OracleHandler();
        targetContract(address(handler));
    }

    /// @notice The current price lies within the bound of its window's reference (an executed or forced
    /// price opens its own window), and the handler saw no chained move, no expired or early execution and
    /// no replaced live proposal.
    /// forge-config: ci.invariant.runs = 300
    function invariant_priceStaysWithinTheWindowBound() public view {
        vm.assertEq(handler.violations(), 0, handler.firstViolation());
        (uint256 referencePrice,) = handler.oracle().appraisalWindow(handler.token());
        (uint256 price,) = handler.oracle().latestPrice(handler.token());
        uint256 move = price > referencePrice ? price - referencePrice : referencePrice - price;
        vm.assertLe(
            move * 10_000, referencePrice * handler.MAX_MOVE_BPS(), "price outside the window's bound"
        );
    }
}
