// Shared by the page's tests and benchmark: serve dist/web with local
// wrangler dev (real workerd), drive Debian chromium with playwright-core,
// record every request, and check results with the Go checker (the core
// package). Whatever this starts is killed on exit, even on failure.
import { spawn, execFileSync } from "node:child_process";
import { once } from "node:events";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

// Service worker traffic is reported on the context only with this flag set.
process.env.PW_EXPERIMENTAL_SERVICE_WORKER_NETWORK_EVENTS = "1";
const { chromium } = await import("playwright-core");

export const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const scratch = mkdtempSync(join(tmpdir(), "frontsign-web-"));

const children = new Set();
function killAll() {
  for (const child of children) {
    try {
      process.kill(-child.pid, "SIGKILL"); // the process group: wrangler and its workerd
    } catch {
      // already gone
    }
  }
  children.clear();
  rmSync(scratch, { recursive: true, force: true });
}
process.on("exit", killAll);
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => process.exit(130));

export async function freePort() {
  const server = createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address();
  server.close();
  await once(server, "close");
  return port;
}

/** Starts wrangler dev on the built page and resolves to its base URL once it serves index.html. */
export async function serve() {
  if (!existsSync(join(root, "dist/web/index.html"))) throw new Error("dist/web is not built; run ./build.sh build");
  const port = await freePort();
  const wrangler = join(root, "node_modules/.bin/wrangler");
  const child = spawn(wrangler, ["dev", "--config", "web/test/wrangler.toml", "--ip", "127.0.0.1", "--port", String(port),
    "--inspector-port", String(await freePort()), "--persist-to", join(scratch, "state"), "--log-level", "warn", "--show-interactive-dev-session=false"], {
    cwd: root,
    detached: true, // its own process group, so killAll reaches workerd too
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "1", XDG_CONFIG_HOME: join(scratch, "config") },
  });
  children.add(child);
  let output = "";
  child.stdout.on("data", (d) => { output += d; });
  child.stderr.on("data", (d) => { output += d; });
  const base = `http://127.0.0.1:${port}/`;
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited (${child.exitCode}):\n${output}`);
    try {
      const res = await fetch(base);
      if (res.ok) return { base, stop: () => stop(child) };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  stop(child);
  throw new Error(`wrangler dev did not serve ${base} within 90 s:\n${output}`);
}

function stop(child) {
  try {
    process.kill(-child.pid, "SIGKILL");
  } catch {
    // already gone
  }
  children.delete(child);
}

/** Launches headless Debian chromium with the project's flags (and any extra ones) and a fresh profile. */
export async function browser(extraArgs = []) {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync", ...extraArgs],
  });
}

/** Records every request of a context (pages and service worker). */
export function recordRequests(context) {
  const requests = [];
  context.on("request", (r) => {
    requests.push({ url: r.url(), method: r.method(), headers: r.headers(), postData: r.postData() ?? "", fromServiceWorker: !!r.serviceWorker() });
  });
  return requests;
}

/** Opens the page and waits until the signer has loaded. */
export async function openPage(context, base, { offlineReady = false } = {}) {
  const page = await context.newPage();
  const problems = [];
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("console", (m) => { if (m.type() === "error") problems.push(`console: ${m.text()}`); });
  await page.goto(base);
  await waitReady(page, offlineReady);
  return { page, problems };
}

export async function waitReady(page, offlineReady = false) {
  const want = offlineReady ? "works offline" : "Signer ready";
  await page.waitForFunction((w) => {
    const s = document.getElementById("status").textContent;
    if (s.includes("could not start")) throw new Error(s);
    return s.includes(w);
  }, want, { timeout: 60_000 });
}

export async function selectTab(page, name) {
  await page.click(`#tab-${name}`);
}

export async function setKey(page, pem, id) {
  await page.fill("#key-pem", pem);
  await page.fill("#key-id", id);
}

/**
 * Fills the fields of one form (id suffix → value; "" clears), submits it and
 * waits for its result or its errors. Resolves to {ok, errors: {fieldId: message}}.
 */
export async function submit(page, prefix, fields = {}) {
  for (const [name, value] of Object.entries(fields)) {
    const id = `#${prefix}-${name}`;
    if (await page.$eval(id, (el) => el.tagName === "SELECT")) await page.selectOption(id, value);
    else await page.fill(id, value);
  }
  await page.$eval(`#${prefix}-result`, (el) => { el.hidden = true; });
  await page.click(`#${prefix}-submit`);
  await page.waitForFunction((p) => {
    const button = document.getElementById(`${p}-submit`);
    const visibleError = [...document.querySelectorAll(".error")].some((e) => !e.hidden);
    return !button.disabled && (!document.getElementById(`${p}-result`).hidden || visibleError);
  }, prefix, { timeout: 60_000 });
  const errors = await page.$$eval(".error", (els) => Object.fromEntries(els.filter((e) => !e.hidden).map((e) => [e.id.replace(/-error$/, ""), e.textContent])));
  return { ok: Object.keys(errors).length === 0, errors };
}

let checkerBin;
/** Runs the Go checker (web/test/checker) on one request. */
export function check(request) {
  if (!checkerBin) {
    checkerBin = join(scratch, "checker");
    execFileSync("go", ["build", "-o", checkerBin, "./web/test/checker"], { cwd: root, stdio: ["ignore", "inherit", "inherit"] });
  }
  return JSON.parse(execFileSync(checkerBin, { input: JSON.stringify(request) }));
}

// signOnArrival opens base in page with the key and URL entered and Sign
// pressed as soon as the page's script has run (DOMContentLoaded), as if
// pasted instantly, and resolves to the time from navigation start to the
// first signed URL (the page's "frontsign:signed" mark), in ms. The benches
// use it, so the figure is the page's own latency, not input speed.
export async function signOnArrival(page, base, { pem, url }) {
  await page.addInitScript(({ pem, url }) => {
    document.addEventListener("DOMContentLoaded", () => {
      document.getElementById("key-pem").value = pem;
      document.getElementById("key-id").value = "K2JCJMDEHXQW5F";
      document.getElementById("sign-urls").value = url;
      document.getElementById("form-sign").requestSubmit();
    });
  }, { pem, url });
  await page.goto(base, { waitUntil: "commit" });
  return page.evaluate(() => new Promise((resolve) => {
    const seen = () => performance.getEntriesByName("frontsign:signed")[0];
    if (seen()) return resolve(seen().startTime);
    new PerformanceObserver((list, obs) => { // other marks (frontsign:ready) come first
      const signed = list.getEntriesByName("frontsign:signed")[0];
      if (signed) { obs.disconnect(); resolve(signed.startTime); }
    }).observe({ entryTypes: ["mark"] });
  }));
}
