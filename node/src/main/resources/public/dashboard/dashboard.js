// The operator's page: everything comes from the node's REST API (/v1) and its Server-Sent Events, with
// the same bearer token as any client (kept for this tab only). Lists are paged and filtered by the node,
// so the page stays fast on a large book: it only ever holds the positions at risk and one page of each
// history.
"use strict";

const WAD = 10n ** 18n;
/** At most this many positions at risk are drawn (the lowest health factors); the count says how many. */
const MAX_RISK_ROWS = 500;
/** Refreshes triggered by events are at most this often (a crash can move thousands of positions). */
const REFRESH_EVERY_MS = 1000;

const state = {
  token: sessionStorage.getItem("freehold-token") || "",
  market: "", // "" = every market; otherwise the filter of the risk watch and both histories
  atRisk: new Map(),
  stream: null,
  // The page token of the history page shown; "" = the newest, the only page that refreshes by itself.
  pages: { liquidations: "", attempts: "" },
  next: { liquidations: "", attempts: "" },
};

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

/** A query string from the entries whose value is not empty. */
function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== "" && v !== undefined) q.set(k, v);
  const s = q.toString();
  return s ? "?" + s : "";
}

/** Every page of a list. */
async function all(path, field) {
  const items = [];
  let token = "";
  do {
    const page = await get(path + query({ page_size: 1000, page_token: token }));
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

function age(seconds) {
  const s = Number(seconds);
  if (s < 3600) return Math.floor(s / 60) + " min";
  if (s < 86400) return Math.floor(s / 3600) + " h";
  return Math.floor(s / 86400) + " d";
}

/** A row of text cells; {@code key} (a market id, an account) goes to data-key, full ids to titles. */
function row(table, cells, { cls, key, titles } = {}) {
  const tr = document.createElement("tr");
  if (cls) tr.className = cls;
  if (key) tr.dataset.key = key;
  cells.forEach((c, i) => {
    const td = document.createElement("td");
    td.textContent = c;
    if (titles && titles[i]) td.title = titles[i];
    tr.appendChild(td);
  });
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
    dd.id = "sync-" + k.replace(/\W+/g, "-");
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
    const a = m.appraisal;
    row("#markets", [short(m.marketId), short(m.collateralToken), a ? grouped(a.price) : "", a ? age(a.ageSeconds) : "",
      (a && a.stale ? ["stale"] : []).concat(m.flags).join(", "),
      m.positionsHealthy, m.positionsWarning, m.positionsLiquidatable, wad(m.utilization), wad(m.borrowApr)],
    { key: m.marketId, titles: [m.marketId, m.collateralToken] });
  }
  // The filter offers every market; the one chosen stays chosen.
  const select = document.getElementById("market");
  const chosen = select.value;
  select.replaceChildren(new Option("every market", ""));
  for (const m of markets) select.add(new Option(short(m.marketId) + " (" + short(m.collateralToken) + ")", m.marketId));
  select.value = chosen;
}

async function refreshHistory() {
  const [liquidations, attempts] = await Promise.all([
    get("/v1/liquidations" + query({ market_id: state.market, page_size: 20, page_token: state.pages.liquidations })),
    get("/v1/attempts" + query({ market_id: state.market, page_size: 20, page_token: state.pages.attempts })),
  ]);
  clear("#liquidations");
  for (const l of liquidations.liquidations) {
    row("#liquidations", [l.blockNumber, short(l.marketId), l.borrower, short(l.liquidator), grouped(l.repaidAssets),
      grouped(l.seizedCollateral), grouped(l.badDebtAssets)], { key: l.borrower, titles: [l.transactionHash, l.marketId] });
  }
  clear("#attempts");
  for (const a of attempts.attempts) {
    row("#attempts", [a.id, short(a.marketId), a.borrower, a.status.replace("ATTEMPT_STATUS_", ""), a.reason, a.minedBlock],
      { key: a.borrower, titles: [null, a.marketId] });
  }
  state.next.liquidations = liquidations.nextPageToken;
  state.next.attempts = attempts.nextPageToken;
  for (const list of ["liquidations", "attempts"]) {
    document.getElementById(list + "-older").disabled = !state.next[list];
    document.getElementById(list + "-newest").disabled = !state.pages[list];
  }
}

function renderRisk() {
  clear("#risk");
  const positions = [...state.atRisk.values()].sort((a, b) => (BigInt(a.healthFactor) < BigInt(b.healthFactor) ? -1 : 1));
  for (const p of positions.slice(0, MAX_RISK_ROWS)) {
    const band = p.band.replace("HEALTH_BAND_", "");
    row("#risk", [short(p.marketId), p.account, wad(p.healthFactor), wad(p.ltv), grouped(p.debt), grouped(p.collateral),
      band, p.asOf ? p.asOf.blockNumber : ""], { cls: band, key: p.account, titles: [p.marketId] });
  }
  document.getElementById("risk-count").textContent = positions.length > MAX_RISK_ROWS
    ? positions.length + " positions, the " + MAX_RISK_ROWS + " lowest shown" : positions.length + " positions";
}

/** Many events in one read draw the table once. */
function renderRiskSoon() {
  if (renderRiskSoon.pending) return;
  renderRiskSoon.pending = true;
  queueMicrotask(() => {
    renderRiskSoon.pending = false;
    renderRisk();
  });
}

/** What an event changed elsewhere on the page (the market's bands, a liquidation), at most once a second. */
function refreshSoon() {
  if (refreshSoon.timer) return;
  refreshSoon.timer = setTimeout(() => {
    refreshSoon.timer = null;
    const history = state.pages.liquidations || state.pages.attempts ? Promise.resolve() : refreshHistory();
    Promise.all([refreshMarkets(), history]).catch(x => problem(x.message));
  }, REFRESH_EVERY_MS);
}

function live(text) {
  document.getElementById("live").textContent = text;
}

/** The positions below the threshold, live: a snapshot, then every change (fetch, so the token is sent). */
async function watchRisk() {
  if (state.stream) state.stream.abort();
  const controller = new AbortController();
  state.stream = controller;
  const below = BigInt(Math.round(Number(document.getElementById("below").value) * 1e6)) * 10n ** 12n;
  const path = "/v1/watch/positions" + query({ health_factor_below: below, market_id: state.market });
  let lastId = "";
  live("(connecting)");
  while (!controller.signal.aborted) {
    try {
      const h = headers();
      if (lastId) h["Last-Event-ID"] = lastId;
      const response = await fetch(path, { headers: h, signal: controller.signal });
      if (!response.ok) {
        const body = await response.json();
        throw new Error(body.reason + ": " + body.message);
      }
      // Resumed after the last event: no snapshot comes (unless the node cannot resume, and then its
      // snapshotEnd says live again); a fresh stream is live once its snapshot is drawn.
      if (lastId) live("(live)");
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
    if (controller.signal.aborted) return;
    live("(reconnecting)");
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
      live("(live)"); // the snapshot is drawn; from here every change arrives as it happens
      break;
    case "updated":
      state.atRisk.set(e.updated.marketId + "/" + e.updated.account, e.updated);
      renderRiskSoon();
      refreshSoon();
      break;
    case "removed":
      state.atRisk.delete(e.removed.marketId + "/" + e.removed.account);
      renderRiskSoon();
      refreshSoon();
      break;
    case "error":
      problem(e.reason + ": " + e.message);
      break;
    default: // retracted: the surviving values follow as updates; heartbeat: alive
  }
}

async function refreshAll() {
  try {
    const history = state.pages.liquidations || state.pages.attempts ? Promise.resolve() : refreshHistory();
    await Promise.all([refreshStatus(), refreshMarkets(), history]);
    problem("");
  } catch (e) {
    problem(e.message);
  }
}

function page(list, token) {
  state.pages[list] = token;
  refreshHistory().catch(x => problem(x.message));
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
document.getElementById("market").addEventListener("change", ev => {
  state.market = ev.target.value;
  state.pages.liquidations = state.pages.attempts = "";
  refreshHistory().catch(x => problem(x.message));
  watchRisk();
});
for (const list of ["liquidations", "attempts"]) {
  document.getElementById(list + "-older").addEventListener("click", () => page(list, state.next[list]));
  document.getElementById(list + "-newest").addEventListener("click", () => page(list, ""));
}
refreshAll();
watchRisk();
setInterval(refreshAll, 5000);
