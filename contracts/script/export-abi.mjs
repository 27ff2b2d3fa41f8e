#!/usr/bin/env node
// Splits forge's artifacts (out/<File>.sol/<Contract>.json) into the <Contract>.abi and
// <Contract>.bin pairs that web3j's SolidityFunctionWrapperGenerator reads.
//
//   node script/export-abi.mjs [outDir=out] [destDir=target/abi] [srcDir=src]
//
// Only deployable contracts from srcDir are exported: interfaces and abstract contracts
// have no bytecode, libraries cannot be called through a wrapper, and tests and scripts are
// not protocol code. destDir is recreated, so a contract deleted from src/ loses its files.
import fs from "node:fs";
import path from "node:path";

const [outDir = "out", destDir = "target/abi", srcDir = "src"] = process.argv.slice(2);

// A library's runtime code starts with PUSH20 <its own address, zero until deployed>,
// ADDRESS, EQ: solc's guard against state-changing delegate calls into it.
const LIBRARY_PREFIX = "0x73" + "00".repeat(20) + "3014";

function sourcePath(artifact) {
    const metadata = artifact.metadata ?? JSON.parse(artifact.rawMetadata ?? "{}");
    const targets = Object.keys(metadata?.settings?.compilationTarget ?? {});
    return targets.length === 1 ? targets[0] : undefined;
}

function isUnder(file, dir) {
    const relative = path.relative(dir, file);
    return relative !== "" && !relative.startsWith("..") && !path.isAbsolute(relative);
}

if (!fs.existsSync(outDir)) {
    console.error(`export-abi: ${outDir} does not exist; run forge build first`);
    process.exit(1);
}

const exported = new Map(); // contract name -> source file
fs.rmSync(destDir, {recursive: true, force: true});
fs.mkdirSync(destDir, {recursive: true});

for (const fileDir of fs.readdirSync(outDir).sort()) {
    if (!fileDir.endsWith(".sol")) continue; // build-info/ and the like
    for (const json of fs.readdirSync(path.join(outDir, fileDir)).sort()) {
        if (!json.endsWith(".json")) continue;
        const artifact = JSON.parse(fs.readFileSync(path.join(outDir, fileDir, json), "utf8"));
        const source = sourcePath(artifact);
        // forge leaves artifacts of deleted sources in out/; the source must still exist.
        if (!source || !isUnder(source, srcDir) || !fs.existsSync(source)) continue;

        const bytecode = artifact.bytecode?.object ?? "0x";
        const runtime = artifact.deployedBytecode?.object ?? "0x";
        if (bytecode === "0x" || runtime.startsWith(LIBRARY_PREFIX)) continue;

        const name = path.basename(json, ".json");
        if (exported.has(name)) {
            console.error(`export-abi: contract ${name} is defined in both ${exported.get(name)} and ` +
                `${source}; web3j wrappers need unique names`);
            process.exit(1);
        }
        exported.set(name, source);
        fs.writeFileSync(path.join(destDir, `${name}.abi`), JSON.stringify(artifact.abi));
        // solc's --bin format: bare hex, which web3j prepends to the constructor arguments.
        fs.writeFileSync(path.join(destDir, `${name}.bin`), bytecode.replace(/^0x/, ""));
    }
}

const names = [...exported.keys()].sort();
console.log(`export-abi: ${names.length} contract(s) to ${destDir}: ${names.join(", ") || "none"}`);
