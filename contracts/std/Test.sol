// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {Vm, vm} from "./Vm.sol";

/// @title Test
/// @notice Base for Freehold's forge tests: marks the contract as a test, bounds fuzz inputs, makes
/// labelled addresses, and declares invariant targets. Assertions are the `vm.assert*` cheatcodes.
abstract contract Test {
    /// @dev forge runs `test*`, `testFuzz*` and `invariant*` functions of contracts that expose IS_TEST.
    bool public constant IS_TEST = true;

    /// @dev What `targetSelectors()` returns; forge reads it by name, as with forge-std's StdInvariant.
    struct FuzzSelector {
        address addr;
        bytes4[] selectors;
    }

    address[] private _targetContracts;
    FuzzSelector[] private _targetSelectors;
    address[] private _excludeSenders;

    /// @notice Maps any `x` into [min, max] uniformly enough for fuzzing, keeping small values small.
    function bound(uint256 x, uint256 min, uint256 max) internal pure returns (uint256) {
        require(min <= max, "bound: min > max");
        if (x >= min && x <= max) return x;
        uint256 size = max - min;
        if (size == type(uint256).max) return x;
        return min + (x % (size + 1));
    }

    /// @notice A deterministic address named after `name`, labelled in traces.
    function makeAddr(string memory name) internal returns (address a) {
        a = vm.addr(uint256(keccak256(bytes(name))));
        vm.label(a, name);
    }

    // ---- invariant targeting (forge calls these getters by name)

    function targetContract(address target) internal {
        _targetContracts.push(target);
    }

    function targetSelector(FuzzSelector memory selector) internal {
        _targetSelectors.push(selector);
    }

    function excludeSender(address sender) internal {
        _excludeSenders.push(sender);
    }

    function targetContracts() public view returns (address[] memory) {
        return _targetContracts;
    }

    function targetSelectors() public view returns (FuzzSelector[] memory) {
        return _targetSelectors;
    }

    function excludeSenders() public view returns (address[] memory) {
        return _excludeSenders;
    }
}
