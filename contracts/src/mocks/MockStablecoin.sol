// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @title MockStablecoin
/// @notice A 6-decimal USD stablecoin for local chains and tests. Anyone may mint: never deploy it to a
/// network where the token is meant to be worth something.
contract MockStablecoin is ERC20 {
    constructor() ERC20("Freehold Mock USD", "mUSD") {}

    function decimals() public pure override returns (uint8) {
        return 6;
    }

    /// @notice Mints `amount` base units to `to`. Unrestricted on purpose (a faucet).
    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }
}
