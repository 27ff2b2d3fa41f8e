// The operator's page: everything comes from the node's REST API (/v1) and its Server-Sent Events, with
// the same bearer token as any client (kept for this tab only). Lists are paged and filtered by the node,
// so the page stays fast on a large book: it only ever holds the positions at risk.
"use strict";

const WAD = 10n ** 18n;
const state = { token: sessionStorage.getItem("freehold-token") || "", atRisk: new Map(), stream: null };

function headers() {
  return state.token ? { Authorization: "Bearer " + state.token } : {};
}

async function get(path) {
  const response = await fetch(path, { headers: headers() });
  const body = await response.json();
  if (!response.ok) {
    throw new Error(body.reason + ": " + body.message);
  }
  return body;
}

/** Every page of a list. */
async function all(path, field) {
  const items = [];
  let token = "";
  do {
    const page = await get(path + (path.includes("?") ? "&" : "?") + "page_size=1000"
        + (token ? "&page_token=" + encodeURIComponent(token) : ""));
    items.push(...page[field]);
    token = page.nextPageToken;
  } while (token);
  return items;
}

function wad(value, digits = 3) {
  const v = BigInt(value);
  if (v >= 2n ** 255n) return "∞";
  const scaled = (v * 10n ** BigInt(digits)) / WAD;
  const s = scaled.toString().padStart(digits + 1, "0");
  return s.slice(0, -digits) + "." + s.slice(-digits);
}

function short(hex) {
  return hex ? hex.slice(0, 6) + "…" + hex.slice(-4) : "";
}

function grouped(value) {
  return BigInt(value).toLocaleString("en-US");
}

function row(table, cells, cls) {
  const tr = document.createElement("tr");
  if (cls) tr.className = cls;
  for (const c of cells) {
    const td = document.createElement("td");
    td.textContent = c;
    tr.appendChild(td);
  }
  document.querySelector(table + " tbody").appendChild(tr);
}

function clear(table) {
  document.querySelector(table + " tbody").replaceChildren();
}

function problem(text) {
  document.getElementById("problem").textContent = text || "";
}

async function refreshStatus() {
  const s = await get("/v1/status");
  const dl = document.getElementById("sync");
  dl.replaceChildren();
  const serving = s.phase === "FOLLOWING" || s.phase === "CATCHING_UP";
  for (const [k, v] of [["chain", s.chainId], ["phase", s.phase], ["head", s.head], ["applied block", s.appliedBlock],
      ["final block", s.finalBlock], ["lag (blocks)", s.lagBlocks], ["version", s.version]]) {
    const dt = document.createElement("dt");
    dt.textContent = k;
    const dd = document.createElement("dd");
    dd.textContent = v;
    if (k === "phase") dd.className = serving ? "serving" : "not-serving";
    dl.append(dt, dd);
  }
  clear("#endpoints");
  for (const e of s.endpoints) row("#endpoints", [e.name, e.breaker, e.lastSeenHead, e.lagging ? "yes" : "no", e.lastError]);
}

async function refreshMarkets() {
  const markets = await all("/v1/markets", "markets");
  clear("#markets");
  for (const m of markets) {
    const days = Math.floor(Number(m.appraisal ? m.appraisal.ageSeconds : 0) / 86400);
    row("#markets", [short(m.marketId), m.appraisal ? grouped(m.appraisal.price) : "", days + " d",
      (m.appraisal && m.appraisal.stale ? ["stale"] : []).concat(m.flags).join(", "),
      m.positionsHealthy, m.positionsWarning, m.positionsLiquidatable, wad(m.utilization), wad(m.borrowApr)]);
  }
}

async function refreshLiquidations() {
  const page = await get("/v1/liquidations?page_size=20");
  clear("#liquidations");
  for (const l of page.liquidations) {
    row("#liquidations", [l.blockNumber, short(l.marketId), l.borrower, short(l.liquidator), grouped(l.repaidAssets),
      grouped(l.seizedCollateral), grouped(l.badDebtAssets)]);
  }
  const attempts = await get("/v1/attempts?page_size=20");
  clear("#attempts");
  for (const a of attempts.attempts) {
    row("#attempts", [a.id, short(a.marketId), a.borrower, a.status.replace("ATTEMPT_STATUS_", ""), a.reason, a.minedBlock]);
  }
}

function renderRisk() {
  clear("#risk");
  const positions = [...state.atRisk.values()].sort((a, b) => (BigInt(a.healthFactor) < BigInt(b.healthFactor) ? -1 : 1));
  for (const p of positions) {
    row("#risk", [short(p.marketId), p.account, wad(p.healthFactor), wad(p.ltv), grouped(p.debt), grouped(p.collateral),
      p.band.replace("HEALTH_BAND_", ""), p.asOf ? p.asOf.blockNumber : ""], p.band.replace("HEALTH_BAND_", ""));
  }
}

/** The positions below the threshold, live: a snapshot, then every change (fetch, so the token is sent). */
async function watchRisk() {
  if (state.stream) state.stream.abort();
  const controller = new AbortController();
  state.stream = controller;
  const below = BigInt(Math.round(Number(document.getElementById("below").value) * 1e6)) * 10n ** 12n;
  let lastId = "";
  while (!controller.signal.aborted) {
    try {
      const h = headers();
      if (lastId) h["Last-Event-ID"] = lastId;
      const response = await fetch("/v1/watch/positions?health_factor_below=" + below, { headers: h, signal: controller.signal });
      if (!response.ok) {
        const body = await response.json();
        throw new Error(body.reason + ": " + body.message);
      }
      document.getElementById("live").textContent = "(live)";
      const reader = response.body.getReader();
      const decoder = new TextDecoder();
      let buffer = "";
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let end;
        while ((end = buffer.indexOf("\n\n")) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = { name: "", id: "", data: "" };
          for (const line of block.split("\n")) {
            if (line.startsWith("event:")) event.name = line.slice(6).trim();
            else if (line.startsWith("id:")) event.id = line.slice(3).trim();
            else if (line.startsWith("data:")) event.data += line.slice(5).trim();
          }
          if (event.id) lastId = event.id;
          onEvent(event);
        }
      }
    } catch (e) {
      if (controller.signal.aborted) return;
      problem(e.message);
    }
    document.getElementById("live").textContent = "(reconnecting)";
    await new Promise(r => setTimeout(r, 1000));
  }
}

function onEvent(event) {
  if (!event.data) return;
  const e = JSON.parse(event.data);
  switch (event.name) {
    case "snapshot":
      if (!onEvent.inSnapshot) { state.atRisk.clear(); onEvent.inSnapshot = true; }
      state.atRisk.set(e.snapshot.marketId + "/" + e.snapshot.account, e.snapshot);
      break;
    case "snapshotEnd":
      if (!onEvent.inSnapshot) state.atRisk.clear();
      onEvent.inSnapshot = false;
      renderRisk();
      break;
    case "updated":
      state.atRisk.set(e.updated.marketId + "/" + e.updated.account, e.updated);
      renderRisk();
      refreshMarkets().catch(x => problem(x.message));
      refreshLiquidations().catch(x => problem(x.message));
      break;
    case "removed":
      state.atRisk.delete(e.removed.marketId + "/" + e.removed.account);
      renderRisk();
      refreshLiquidations().catch(x => problem(x.message));
      break;
    case "error":
      problem(e.reason + ": " + e.message);
      break;
    default: // retracted: the surviving values follow as updates; heartbeat: alive
  }
}

async function refreshAll() {
  try {
    await Promise.all([refreshStatus(), refreshMarkets(), refreshLiquidations()]);
    problem("");
  } catch (e) {
    problem(e.message);
  }
}

document.getElementById("token").value = state.token;
document.getElementById("auth").addEventListener("submit", ev => {
  ev.preventDefault();
  state.token = document.getElementById("token").value.trim();
  sessionStorage.setItem("freehold-token", state.token);
  refreshAll();
  watchRisk();
});
document.getElementById("below").addEventListener("change", () => watchRisk());
refreshAll();
watchRisk();
setInterval(refreshAll, 5000);
