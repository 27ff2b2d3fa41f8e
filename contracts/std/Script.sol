// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {Vm, vm} from "./Vm.sol";

/// @title Script
/// @notice Base for Freehold's forge scripts (forge runs `run()` of contracts that expose IS_SCRIPT).
abstract contract Script {
    bool public constant IS_SCRIPT = true;
}
