// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {vm} from "../../../std/Vm.sol";
import {AppraisalOracle} from "../../../src/AppraisalOracle.sol";
import {IAppraisalOracle} from "../../../src/interfaces/IAppraisalOracle.sol";

/// @title OracleHandler
/// @notice Random appraiser actions on one feed (ordinary submits, proposals, executions, the admin's
/// cancels and rare forced prices, time passing), with ghosts kept without the oracle's own bookkeeping:
/// every ordinary price since the last timelocked or forced change, and when it was set.
contract OracleHandler {
    uint256 internal constant BPS = 10_000;
    uint256 public constant MAX_MOVE_BPS = 1000;
    uint256 internal constant START_PRICE = 100e24;

    AppraisalOracle public immutable oracle;
    address public immutable token;
    address internal immutable admin;
    address[2] internal appraisers;

    /// @dev Ordinary prices since the last loud change (force or execute), with their times.
    uint256[] internal _prices;
    uint256[] internal _times;

    uint256 public violations;
    string public firstViolation;
    uint256 public submits;
    uint256 public executes;
    uint256 public refusedChains; // ordinary updates refused because the window's bound was spent

    constructor() {
        admin = address(this);
        oracle = new AppraisalOracle(admin);
        token = address(0xF00D);
        appraisers[0] = address(0xA1);
        appraisers[1] = address(0xA2);
        oracle.configureFeed(token, 365 days, MAX_MOVE_BPS);
        oracle.setAppraiser(token, appraisers[0], true);
        oracle.setAppraiser(token, appraisers[1], true);
        oracle.forceAppraisal(token, START_PRICE, "initial");
        _loud();
    }

    // ------------------------------------------------------------------ actions

    /// @notice An ordinary update anywhere from -15% to +15% of the current price: the attacker's steps.
    function submit(uint256 appraiserSeed, uint256 moveSeed) external {
        uint256 price = _moved(moveSeed % 3001, 1500);
        vm.prank(appraisers[appraiserSeed % 2]);
        try oracle.submitAppraisal(token, price) {
            ++submits;
            _checkAgainstHistory(price);
            _prices.push(price);
            _times.push(block.timestamp);
        } catch (bytes memory reason) {
            // Truncating to the first four bytes is the point: that is the error's selector.
            // forge-lint: disable-next-line(unsafe-typecast)
            if (bytes4(reason) == IAppraisalOracle.PriceMoveTooLarge.selector) ++refusedChains;
        }
    }

    /// @notice A proposal between -60% and +60%.
    function propose(uint256 appraiserSeed, uint256 moveSeed) external {
        IAppraisalOracle.PendingAppraisal memory before = oracle.pendingAppraisal(token);
        uint256 price = _moved(moveSeed % 12_001, 6000);
        vm.prank(appraisers[appraiserSeed % 2]);
        try oracle.proposeAppraisal(token, price) {
            if (
                before.executableAt != 0
                    && block.timestamp <= before.executableAt + oracle.PROPOSAL_VALIDITY()
            ) {
                _violation("a live proposal was replaced");
            }
        } catch {}
    }

    function execute() external {
        IAppraisalOracle.PendingAppraisal memory p = oracle.pendingAppraisal(token);
        try oracle.executeAppraisal(token) {
            ++executes;
            if (block.timestamp > p.executableAt + oracle.PROPOSAL_VALIDITY()) {
                _violation("an expired proposal was executed");
            }
            if (block.timestamp < p.executableAt) _violation("a proposal was executed early");
            _loud();
        } catch {}
    }

    function cancel() external {
        try oracle.cancelAppraisal(token) {} catch {}
    }

    /// @notice The admin's loud path, rarely.
    function force(uint256 seed) external {
        if (seed % 20 != 0) return;
        oracle.forceAppraisal(token, _moved(seed % 12_001, 6000), "campaign");
        _loud();
    }

    function warp(uint256 secondsSeed) external {
        vm.warp(block.timestamp + secondsSeed % 3 days);
    }

    // ------------------------------------------------------------------ checks

    /// @dev Any two ordinary prices less than LARGE_MOVE_DELAY apart (with no loud change between) lie in
    /// at most two consecutive windows: the earlier within b of its window's reference r, the later within
    /// b of the next window's reference, itself within b of r. So new / old lies in
    /// [(1 - b)^2 / (1 + b), (1 + b)^2 / (1 - b)], however many updates were made (eleven -10% steps in one
    /// block, the attack of the review, would end at 0.31).
    function _checkAgainstHistory(uint256 price) internal {
        uint256 delay = oracle.LARGE_MOVE_DELAY();
        for (uint256 i = _prices.length; i > 0; --i) {
            if (_times[i - 1] + delay <= block.timestamp) break;
            uint256 old = _prices[i - 1];
            uint256 hi = old * (BPS + MAX_MOVE_BPS) ** 2 / (BPS * (BPS - MAX_MOVE_BPS));
            uint256 lo = old * (BPS - MAX_MOVE_BPS) ** 2 / (BPS * (BPS + MAX_MOVE_BPS));
            if (price > hi + 1 || price + 1 < lo) {
                _violation("ordinary updates chained beyond two windows' bounds");
            }
        }
        (uint256 referencePrice,) = oracle.appraisalWindow(token);
        uint256 move = price > referencePrice ? price - referencePrice : referencePrice - price;
        if (move * BPS > referencePrice * MAX_MOVE_BPS) _violation("an update left its window's bound");
    }

    /// @dev A loud change starts a new history.
    function _loud() internal {
        delete _prices;
        delete _times;
        (uint256 price,) = oracle.latestPrice(token);
        _prices.push(price);
        _times.push(block.timestamp);
    }

    function _moved(uint256 step, uint256 half) internal view returns (uint256) {
        (uint256 price,) = oracle.latestPrice(token);
        // step in [0, 2 * half]: the move is (step - half) basis points.
        uint256 next = price * (BPS + step) / BPS;
        next = next > price * half / BPS ? next - price * half / BPS : 1;
        return next == 0 ? 1 : next;
    }

    function _violation(string memory what) internal {
        if (violations++ == 0) firstViolation = what;
    }
}
