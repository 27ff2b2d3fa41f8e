// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {Script} from "../std/Script.sol";
import {vm} from "../std/Vm.sol";
import {IdentityRegistry} from "../src/IdentityRegistry.sol";
import {PropertyToken} from "../src/PropertyToken.sol";
import {AppraisalOracle} from "../src/AppraisalOracle.sol";
import {LendingPool} from "../src/LendingPool.sol";
import {DutchAuction} from "../src/DutchAuction.sol";
import {MockStablecoin} from "../src/mocks/MockStablecoin.sol";
import {MarketId, MarketParams, LiquidationTerms} from "../src/interfaces/ILendingPool.sol";
import {AuctionParams} from "../src/interfaces/IDutchAuction.sol";

/// @title DeployLocal
/// @notice Sets up a complete Freehold system on a local chain (anvil) and writes every address to
/// `deployments/local.json` (or $DEPLOYMENT_FILE), which the Java side reads.
/// Accounts come from anvil's default mnemonic: 0 admin (issuer, agent, appraiser, pool owner),
/// 1 lender, 2 borrower, 3 liquidator. The DutchAuction is deployed last (no market uses it unless
/// AUCTION_MARKET=1, which lists a fourth property whose market sells collateral by auction, with a cure window).
///
///   forge script script/DeployLocal.s.sol --rpc-url http://127.0.0.1:8545 --broadcast
contract DeployLocal is Script {
    string internal constant ANVIL_MNEMONIC = "test test test test test test test test test test test junk";

    /// @dev 1 USD in the 6-decimal stablecoin, per 1e18 token base units, in PRICE_SCALE (1e36) units.
    uint256 internal constant USD_PER_TOKEN = 1e6 * 1e36 / 1e18;

    struct Property {
        string id;
        string name;
        string symbol;
        string region;
        uint256 priceCents; // appraisal per whole token, in US cents
    }

    struct Accounts {
        uint256 adminKey;
        address admin;
        uint256 lenderKey;
        address lender;
        uint256 borrowerKey;
        address borrower;
        address liquidator;
    }

    IdentityRegistry internal registry;
    MockStablecoin internal usd;
    AppraisalOracle internal oracle;
    LendingPool internal pool;
    DutchAuction internal auction;
    uint256 internal startBlock;

    function run() external {
        // The node starts following from here: the head before anything of ours is deployed.
        startBlock = block.number;
        string memory mnemonic = vm.envOr("MNEMONIC", ANVIL_MNEMONIC);
        Accounts memory a;
        a.adminKey = vm.deriveKey(mnemonic, 0);
        a.admin = vm.addr(a.adminKey);
        a.lenderKey = vm.deriveKey(mnemonic, 1);
        a.lender = vm.addr(a.lenderKey);
        a.borrowerKey = vm.deriveKey(mnemonic, 2);
        a.borrower = vm.addr(a.borrowerKey);
        a.liquidator = vm.addr(vm.deriveKey(mnemonic, 3));

        Property[3] memory properties = [
            Property("FH-DET-0412", "4-plex, 0412 Linden Row, Detroit", "FHDET0412", "US-MI", 5240),
            Property("FH-CLE-1177", "Duplex, 1177 Orchard Lane, Cleveland", "FHCLE1177", "US-OH", 4810),
            Property("FH-MEM-2290", "Single family, 2290 Cedar Bend, Memphis", "FHMEM2290", "US-TN", 6175)
        ];

        vm.startBroadcast(a.adminKey);
        registry = new IdentityRegistry(a.admin);
        usd = new MockStablecoin();
        oracle = new AppraisalOracle(a.admin);
        pool = new LendingPool(a.admin);
        address[] memory holders = new address[](5);
        (holders[0], holders[1], holders[2], holders[3], holders[4]) =
        (a.admin, a.lender, a.borrower, a.liquidator, address(pool));
        registry.verifyBatch(holders);
        usd.mint(a.lender, 3_000_000e6);
        usd.mint(a.liquidator, 250_000e6);
        usd.mint(a.admin, 100_000e6); // the issuer's rent float

        PropertyToken[3] memory tokens;
        MarketId[3] memory ids;
        for (uint256 i; i < properties.length; ++i) {
            (tokens[i], ids[i]) = _listProperty(properties[i], a);
        }
        vm.stopBroadcast();

        // The lender funds every market; the borrower opens one position so there is something to read.
        vm.startBroadcast(a.lenderKey);
        for (uint256 i; i < ids.length; ++i) {
            usd.approve(address(pool), 500_000e6);
            pool.supply(ids[i], 500_000e6, a.lender);
        }
        vm.stopBroadcast();

        vm.startBroadcast(a.borrowerKey);
        tokens[0].approve(address(pool), 400e18);
        pool.supplyCollateral(ids[0], 400e18, a.borrower);
        pool.borrow(ids[0], 12_000e6, a.borrower);
        vm.stopBroadcast();

        // Deployed last, so every address above stays what it was before auctions existed.
        vm.startBroadcast(a.adminKey);
        auction = new DutchAuction(pool);
        bool auctionMarket = vm.envOr("AUCTION_MARKET", uint256(0)) == 1;
        PropertyToken[] memory listed = new PropertyToken[](auctionMarket ? 4 : 3);
        MarketId[] memory listedIds = new MarketId[](listed.length);
        for (uint256 i; i < 3; ++i) {
            (listed[i], listedIds[i]) = (tokens[i], ids[i]);
        }
        if (auctionMarket) {
            (listed[3], listedIds[3]) = _listAuctionProperty(a);
        }
        vm.stopBroadcast();
        if (auctionMarket) {
            vm.startBroadcast(a.lenderKey);
            usd.approve(address(pool), 500_000e6);
            pool.supply(listedIds[3], 500_000e6, a.lender);
            vm.stopBroadcast();
        }

        _write(a, listed, listedIds);
    }

    /// @dev A Pittsburgh duplex whose market sells collateral by Dutch auction (from 120% of the appraisal to
    /// 60% over 6 hours, 5% penalty, keeper 5 USD + 0.1% up to 250 USD, 3 paid restarts) after a 1-day cure
    /// window (none under health 0.9). Its terms are LocalSystem's auction market's.
    function _listAuctionProperty(Accounts memory a) internal returns (PropertyToken token, MarketId id) {
        token = _issueProperty(
            Property("FH-PIT-0318", "Duplex, 0318 Larch Way, Pittsburgh", "FHPIT0318", "US-PA", 5560), a
        );
        id = pool.createMarketWithTerms(
            _marketParams(token),
            LiquidationTerms({auction: address(auction), cureWindow: 1 days, hardFloorHealth: 0.9e18}),
            AuctionParams({
                startPremium: 1.2e18,
                floorRatio: 0.6e18,
                duration: 6 hours,
                penalty: 0.05e18,
                keeperFlatFee: 5e6,
                keeperFeeRate: 0.001e18,
                keeperFeeCap: 250e6,
                maxPaidRestarts: 3
            })
        );
    }

    function _listProperty(Property memory p, Accounts memory a)
        internal
        returns (PropertyToken token, MarketId id)
    {
        token = _issueProperty(p, a);
        id = pool.createMarket(_marketParams(token));
    }

    /// @dev The property token, its holders and its first appraisal.
    function _issueProperty(Property memory p, Accounts memory a) internal returns (PropertyToken token) {
        token = new PropertyToken(p.id, p.name, p.symbol, p.region, registry, usd, a.admin);
        token.mint(a.borrower, 1000e18);
        token.mint(a.admin, 9000e18);
        oracle.configureFeed(address(token), 30 days, 1000); // monthly appraisals, at most 10% per update
        oracle.setAppraiser(address(token), a.admin, true);
        oracle.forceAppraisal(address(token), p.priceCents * USD_PER_TOKEN / 100, "initial appraisal");
    }

    function _marketParams(PropertyToken token) internal view returns (MarketParams memory) {
        uint256 lltv = 0.75e18;
        return MarketParams({
            collateralToken: address(token),
            loanToken: address(usd),
            oracle: address(oracle),
            lltv: lltv,
            maxLtv: 0.65e18,
            liquidationIncentive: pool.maxLiquidationIncentive(lltv),
            baseRatePerYear: 0.02e18,
            slope1PerYear: 0.06e18,
            slope2PerYear: 0.8e18,
            kinkUtilization: 0.8e18,
            supplyCap: 0,
            borrowCap: 0,
            minLeftoverDebt: 10e6
        });
    }

    function _write(Accounts memory a, PropertyToken[] memory tokens, MarketId[] memory ids) internal {
        // Markets keyed by property id (JSON objects nest; arrays of objects would arrive as strings).
        string memory marketsJson;
        for (uint256 i; i < tokens.length; ++i) {
            string memory key = string.concat("market", vm.toString(i));
            vm.serializeBytes32(key, "id", MarketId.unwrap(ids[i]));
            vm.serializeString(key, "name", tokens[i].name());
            vm.serializeString(key, "regionCode", tokens[i].regionCode());
            string memory entry = vm.serializeAddress(key, "propertyToken", address(tokens[i]));
            marketsJson = vm.serializeString("markets", tokens[i].propertyId(), entry);
        }

        string memory accounts = "accounts";
        vm.serializeAddress(accounts, "admin", a.admin);
        vm.serializeAddress(accounts, "lender", a.lender);
        vm.serializeAddress(accounts, "borrower", a.borrower);
        string memory accountsJson = vm.serializeAddress(accounts, "liquidator", a.liquidator);

        string memory root = "deployment";
        vm.serializeUint(root, "chainId", block.chainid);
        vm.serializeUint(root, "startBlock", startBlock);
        vm.serializeAddress(root, "identityRegistry", address(registry));
        vm.serializeAddress(root, "stablecoin", address(usd));
        vm.serializeAddress(root, "oracle", address(oracle));
        vm.serializeAddress(root, "lendingPool", address(pool));
        vm.serializeAddress(root, "dutchAuction", address(auction));
        vm.serializeString(root, "accounts", accountsJson);
        string memory json = vm.serializeString(root, "markets", marketsJson);

        string memory path = vm.envOr("DEPLOYMENT_FILE", string("deployments/local.json"));
        vm.writeJson(json, path);
    }
}
