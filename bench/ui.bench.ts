/**
 * UI bench: the lineage explorer (apps/web, served by the gateway at `/`) in Debian's Chromium via playwright-core,
 * against one shard (SQLite in a temp dir) and the gateway started from dist/. Generated lineage: a hub dataset H
 * read by HUB_FANOUT jobs (default 5,000), each writing its own dataset.
 *   1. open `#/lineage?node=H`: time to data-layout="ready", nodes drawn, page responsiveness while loading;
 *   2. expand downstream of H until >= TARGET_NODES (500) nodes are drawn: click -> ready (the new page placed
 *      beside the drawn nodes; window.__lastPlaceMs) and the /api/v1/impact network span from resource timing;
 *   3. "Re-layout": ELK over the whole graph at that size (window.__lastLayoutMs, timed in the page);
 *   4. fit view (every node in view), then pan (drag) and zoom (wheel): input -> second animation frame.
 * One JSON line on stdout; the "## UI" section of bench/RESULTS.md is replaced. Run: `npm run bench:ui`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { replaceResultsSection } from './results-section';

const ROOT = path.resolve(__dirname, '..', '..');
const CHROMIUM = '/usr/bin/chromium';
const FANOUT = Number(process.env.HUB_FANOUT ?? 5000);
const TARGET_NODES = Number(process.env.TARGET_NODES ?? 500);
const SAMPLES = 20;
const NS = 'ui-bench';
const H = `dataset:${NS}:hub.H`;

interface Proc {
  child: ChildProcess;
  waitFor(msg: string, ms: number): Promise<any>;
}

const startNode = (entry: string, env: Record<string, string>): Proc => {
  const merged: Record<string, string | undefined> = { ...process.env, LOG_LEVEL: 'log', ...env };
  for (const k of Object.keys(merged)) if (merged[k] === '') delete merged[k];
  const child = spawn(process.execPath, [path.join(ROOT, 'dist', entry)], { env: merged, stdio: ['ignore', 'pipe', 'pipe'] });
  const seen: any[] = [];
  const waiters: Array<{ msg: string; resolve: (l: any) => void }> = [];
  let buf = '';
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  child.stdout!.on('data', (c: Buffer) => {
    buf += c.toString();
    let nl;
    while ((nl = buf.indexOf('\n')) >= 0) {
      const text = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      let line: any;
      try {
        line = JSON.parse(text);
      } catch {
        line = { msg: text };
      }
      seen.push(line);
      for (const w of [...waiters]) {
        if (line.msg !== w.msg) continue;
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(line);
      }
    }
  });
  return {
    child,
    waitFor: (msg, ms) =>
      new Promise((resolve, reject) => {
        const found = seen.find((l) => l.msg === msg);
        if (found) return resolve(found);
        const t = setTimeout(() => reject(new Error(`${entry}: "${msg}" not seen in ${ms} ms; stderr: ${stderr}`)), ms);
        child.once('exit', (code) => reject(new Error(`${entry} exited (${code}): ${stderr}`)));
        waiters.push({ msg, resolve: (l) => (clearTimeout(t), resolve(l)) });
      }),
  };
};

const producer = 'https://github.com/lineage-hub/ui-bench';
const uuid = () => randomUUID();
const events = () => {
  const base = Date.parse('2026-12-01T00:00:00Z');
  return Array.from({ length: FANOUT }, (_, i) => ({
    eventType: 'COMPLETE',
    eventTime: new Date(base + i * 1000).toISOString(),
    producer,
    schemaURL: 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent',
    run: { runId: uuid(), facets: {} },
    job: { namespace: NS, name: `fan.job_${String(i).padStart(5, '0')}`, facets: {} },
    inputs: [{ namespace: NS, name: 'hub.H', facets: {} }],
    outputs: [{ namespace: NS, name: `fan.out_${String(i).padStart(5, '0')}`, facets: {} }],
  }));
};

const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p: number) => (s.length ? s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)] : NaN);
  return { n: s.length, median: r1(q(0.5)), p95: r1(q(0.95)), max: r1(s[s.length - 1]) };
};
const r1 = (x: number) => Math.round(x * 10) / 10;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const canvasAttr = (page: Page) =>
  page.evaluate(() => {
    const c = (globalThis as any).document.querySelector('[data-testid="canvas"]');
    return { nodes: Number(c?.getAttribute('data-nodes') ?? 0), edges: Number(c?.getAttribute('data-edges') ?? 0), layout: c?.getAttribute('data-layout') ?? 'none', lastLayoutMs: (globalThis as any).__lastLayoutMs as number | undefined };
  });

const main = async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing`);
  const load0 = os.loadavg();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'lineage-ui-bench-'));
  const procs: Proc[] = [];
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
  try {
    const shard = startNode('apps/shard/src/main.js', { PORT: '0', RPC_PORT: '0', RPC_HOST: '127.0.0.1', SHARD_DOMAIN: 'bench', STORE_URL: `sqlite:${path.join(dataDir, 'lineage.db')}`, REDIS_URL: '' });
    procs.push(shard);
    const { rpcPort } = await shard.waitFor('shard started', 120_000);
    const gateway = startNode('apps/gateway/src/main.js', { PORT: '0', HOST: '127.0.0.1', SHARDS: `bench=127.0.0.1:${rpcPort}`, NAMESPACE_DOMAINS: `${NS}=bench`, FILTER_REFRESH_MS: '200', REDIS_URL: '', WORKER_URL: '' });
    procs.push(gateway);
    const G = (await gateway.waitFor('gateway listening', 120_000)).url as string;

    // ---- data
    const evs = events();
    const ingestStart = performance.now();
    for (let i = 0; i < evs.length; i += 500) {
      const res = await fetch(`${G}/api/v1/lineage/batch`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(evs.slice(i, i + 500)) });
      if (res.status >= 300) throw new Error(`batch ${i}: ${res.status} ${await res.text()}`);
    }
    let total = 0;
    for (let i = 0; i < 600; i++) {
      const r = await fetch(`${G}/api/v1/impact?nodeId=${encodeURIComponent(H)}&direction=downstream&depth=1&limit=1`);
      if (r.ok) total = ((await r.json()) as any).totalNodes - 1;
      if (total >= FANOUT) break;
      await sleep(500);
    }
    const ingestMs = performance.now() - ingestStart;
    process.stderr.write(`ingested ${evs.length} events in ${Math.round(ingestMs)} ms; H has ${total} downstream neighbours (depth 1)\n`);

    // ---- open the hub node
    const context = await browser.newContext({ timezoneId: 'UTC', viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    const openStart = performance.now();
    await page.goto(`${G}/#/lineage?node=${encodeURIComponent(H)}`, { waitUntil: 'commit' });
    const rtts: number[] = [];
    let open = { nodes: 0, edges: 0, layout: 'none', lastLayoutMs: undefined as number | undefined };
    for (;;) {
      const t = performance.now();
      open = await canvasAttr(page);
      rtts.push(performance.now() - t);
      if (open.layout === 'ready' && open.nodes > 0) break;
      if (performance.now() - openStart > 300_000) throw new Error('the hub node did not lay out in 300 s');
      await sleep(20);
    }
    const openMs = performance.now() - openStart;
    await page.locator(`[data-testid="graph-node"][data-id="${H}"]`).waitFor();
    const openSummary = { readyMs: Math.round(openMs), nodes: open.nodes, edges: open.edges, layoutMs: r1(open.lastLayoutMs ?? NaN), evaluateRoundTrip: stats(rtts), responsive: Math.max(...rtts) < 1000 };
    process.stderr.write(`open: ${JSON.stringify(openSummary)}\n`);

    // ---- expand downstream of H until TARGET_NODES
    const expands: Array<{ nodesBefore: number; nodesAfter: number; edgesAfter: number; clickToReadyMs: number; clickToGraphMs: number; placeMs: number; impactRequests: number; networkSpanMs: number; networkSumMs: number }> = [];
    for (let k = 0; k < 60; k++) {
      const before = await canvasAttr(page);
      if (before.nodes >= TARGET_NODES) break;
      await page.waitForFunction((id) => !!(globalThis as any).document.querySelector(`[aria-label="expand downstream of ${id}"]:not([disabled])`), H, { timeout: 60_000 });
      const r = await page.evaluate(
        ({ id, n0 }) =>
          new Promise<any>((resolve) => {
            const g = globalThis as any;
            const doc = g.document;
            g.performance.setResourceTimingBufferSize?.(100_000);
            g.performance.clearResourceTimings?.();
            const t0 = g.performance.now();
            let tPending = 0;
            doc.querySelector(`[aria-label="expand downstream of ${id}"]`).click();
            const poll = () => {
              const c = doc.querySelector('[data-testid="canvas"]');
              const n = Number(c?.getAttribute('data-nodes') ?? 0);
              const layout = c?.getAttribute('data-layout');
              if (n > n0 && !tPending) tPending = g.performance.now();
              if (n > n0 && layout === 'ready') {
                const t1 = g.performance.now();
                const res = (g.performance.getEntriesByType('resource') as any[]).filter((e) => e.startTime >= t0 && e.name.includes('/api/v1/impact'));
                const span = res.length ? Math.max(...res.map((e) => e.responseEnd)) - Math.min(...res.map((e) => e.startTime)) : 0;
                resolve({ nodesAfter: n, edgesAfter: Number(c?.getAttribute('data-edges') ?? 0), clickToReadyMs: t1 - t0, clickToGraphMs: tPending - t0, placeMs: g.__lastPlaceMs, impactRequests: res.length, networkSpanMs: span, networkSumMs: res.reduce((s, e) => s + e.duration, 0) });
              } else if (g.performance.now() - t0 > 300_000) resolve({ nodesAfter: n, edgesAfter: 0, clickToReadyMs: NaN, clickToGraphMs: NaN, placeMs: NaN, impactRequests: 0, networkSpanMs: 0, networkSumMs: 0 });
              else g.requestAnimationFrame(poll);
            };
            g.requestAnimationFrame(poll);
          }),
        { id: H, n0: before.nodes },
      );
      const row = { nodesBefore: before.nodes, ...r, clickToReadyMs: r1(r.clickToReadyMs), clickToGraphMs: r1(r.clickToGraphMs), placeMs: r1(r.placeMs), networkSpanMs: r1(r.networkSpanMs), networkSumMs: r1(r.networkSumMs) };
      expands.push(row);
      process.stderr.write(`expand ${k + 1}: ${JSON.stringify(row)}\n`);
      if (Number.isNaN(row.clickToReadyMs)) break;
    }
    const atTarget = expands[expands.length - 1];

    // ---- ELK over the whole graph at that size ("Re-layout"), then every node in view (fit view)
    const relayout = await page.evaluate(
      () =>
        new Promise<{ layoutMs: number; clickToReadyMs: number }>((resolve) => {
          const g = globalThis as any;
          const doc = g.document;
          g.__lastLayoutMs = undefined;
          const t0 = g.performance.now();
          [...doc.querySelectorAll('button')].find((b: any) => b.textContent.trim() === 'Re-layout').click();
          const poll = () => {
            const ready = doc.querySelector('[data-testid="canvas"]')?.getAttribute('data-layout') === 'ready';
            if (g.__lastLayoutMs !== undefined && ready) resolve({ layoutMs: g.__lastLayoutMs, clickToReadyMs: g.performance.now() - t0 });
            else g.requestAnimationFrame(poll);
          };
          g.requestAnimationFrame(poll);
        }),
    );
    process.stderr.write(`relayout: ${JSON.stringify(relayout)}\n`);
    await page.locator('.react-flow__controls-fitview').click();
    await sleep(1000);
    const renderedNodes = await page.locator('.react-flow__node').count();

    // ---- pan and zoom at that size: input -> second animation frame after it
    await page.evaluate(() => {
      const g = globalThis as any;
      g.__frames = [];
      g.__armed = false;
      const on = (e: any) => {
        if (!g.__armed) return;
        g.__armed = false;
        const start = e.timeStamp;
        g.requestAnimationFrame(() => g.requestAnimationFrame(() => g.__frames.push(g.performance.now() - start)));
      };
      g.document.addEventListener('wheel', on, { capture: true, passive: true });
      g.document.addEventListener('pointermove', on, { capture: true, passive: true });
    });
    // an empty spot of the pane (not a node), so a drag pans instead of moving a node
    const spot = await page.evaluate(() => {
      const doc = (globalThis as any).document;
      const r = doc.querySelector('[data-testid="canvas"]').getBoundingClientRect();
      for (let y = r.top + r.height * 0.3; y < r.bottom - 40; y += 13)
        for (let x = r.left + r.width * 0.2; x < r.right - 240; x += 17) if (doc.elementFromPoint(x, y)?.classList.contains('react-flow__pane')) return { x, y };
      return { x: r.left + 10, y: r.top + 10 };
    });
    const sample = async (input: () => Promise<void>) => {
      const k = await page.evaluate(() => ((globalThis as any).__armed = true, (globalThis as any).__frames.length));
      await input();
      await page.waitForFunction((n) => (globalThis as any).__frames.length > n, k, { timeout: 30_000 });
    };
    await page.mouse.move(spot.x, spot.y);
    for (let i = 0; i < SAMPLES; i++) await sample(() => page.mouse.wheel(0, i % 2 ? 120 : -120));
    const zoom = stats(await page.evaluate(() => (globalThis as any).__frames.splice(0)));
    await page.mouse.move(spot.x, spot.y);
    await page.mouse.down();
    for (let i = 0; i < SAMPLES; i++) await sample(() => page.mouse.move(spot.x + (i % 2 ? 0 : 12) + i, spot.y + (i % 2 ? 8 : 0)));
    await page.mouse.up();
    const pan = stats(await page.evaluate(() => (globalThis as any).__frames.splice(0)));
    const finalCanvas = await canvasAttr(page);
    const load1 = os.loadavg();

    const layoutAtTarget = relayout.layoutMs;
    const expandMedian = stats(expands.map((e) => e.clickToReadyMs));
    const targets = {
      openResponsive: openSummary.responsive,
      layoutUnder1s: layoutAtTarget < 1000,
      edgesDrawn: finalCanvas.edges >= finalCanvas.nodes - 1,
      expandUnder100ms: expandMedian.median < 100,
      panUnder100ms: pan.p95 < 100,
      zoomUnder100ms: zoom.p95 < 100,
    };
    const result = {
      bench: 'ui',
      date: new Date().toISOString(),
      machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, memGb: Math.round(os.totalmem() / 2 ** 30), node: process.version, loadavgStart: load0.map(r1), loadavgEnd: load1.map(r1) },
      data: { hubFanout: FANOUT, downstreamNeighbours: total, ingestMs: Math.round(ingestMs) },
      open: openSummary,
      expands,
      atTarget: { nodes: finalCanvas.nodes, edges: finalCanvas.edges, renderedNodes, layoutMs: layoutAtTarget, relayoutClickToReadyMs: r1(relayout.clickToReadyMs), clickToReadyMs: atTarget?.clickToReadyMs, networkSpanMs: atTarget?.networkSpanMs },
      expand: { clickToReady: expandMedian, network: stats(expands.map((e) => e.networkSpanMs)), place: stats(expands.map((e) => e.placeMs)) },
      zoom,
      pan,
      targets,
      pageErrors,
    };
    process.stdout.write(JSON.stringify(result) + '\n');
    writeSection(result);
  } finally {
    await browser.close().catch(() => undefined);
    for (const p of procs) if (p.child.exitCode === null) p.child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  }
};

const yes = (b: boolean) => (b ? 'met' : '**not met**');
const fmt = (x: number) => (Number.isFinite(x) ? Math.round(x).toLocaleString('en-US') : 'n/a');

const writeSection = (r: any) => {
  const m = r.machine;
  const lines = [
    '## UI',
    '',
    `\`npm run bench:ui\` (bench/ui.bench.ts), ${r.date.slice(0, 10)}. Machine: ${m.cpus} cores (${m.cpuModel}), ${m.memGb} GB, Node ${m.node}, shared with other`,
    `builds and tests (load average 1/5/15 min ${m.loadavgStart.join(' / ')} at the start, ${m.loadavgEnd.join(' / ')} at the end). One shard (SQLite, temp dir)`,
    `and the gateway from dist/, the UI from dist/web in headless Debian Chromium (playwright-core, --disable-gpu: software rendering).`,
    `Data: a hub dataset H read by ${fmt(r.data.hubFanout)} jobs, each writing its own dataset (H has ${fmt(r.data.downstreamNeighbours)} neighbours at depth 1).`,
    '',
    '| measure | value | target | |',
    '|---|---|---|---|',
    `| open H (\`#/lineage?node=H\`) -> data-layout=ready | ${fmt(r.open.readyMs)} ms, ${r.open.nodes} nodes drawn (paged: 25 per page) | no freeze | |`,
    `| page responsiveness while opening (\`page.evaluate\` round trip) | median ${r.open.evaluateRoundTrip.median} ms, max ${r.open.evaluateRoundTrip.max} ms | < 1 s | ${yes(r.targets.openResponsive)} |`,
    `| ELK layout ("Re-layout") at ${r.atTarget.nodes} nodes / ${r.atTarget.edges} edges (window.__lastLayoutMs; click -> ready ${fmt(r.atTarget.relayoutClickToReadyMs)} ms) | ${fmt(r.atTarget.layoutMs)} ms | < 1 s | ${yes(r.targets.layoutUnder1s)} |`,
    `| edges drawn at ${r.atTarget.nodes} nodes | ${r.atTarget.edges} | >= nodes - 1 (a tree) | ${yes(r.targets.edgesDrawn)} |`,
    `| expand click -> ready, ${r.expands.length} expands (median / p95) | ${fmt(r.expand.clickToReady.median)} / ${fmt(r.expand.clickToReady.p95)} ms | < 100 ms | ${yes(r.targets.expandUnder100ms)} |`,
    `| of which /api/v1/impact network span (median / p95) | ${fmt(r.expand.network.median)} / ${fmt(r.expand.network.p95)} ms | | |`,
    `| of which placing the new nodes (median / p95) | ${r.expand.place.median} / ${r.expand.place.p95} ms | | |`,
    `| zoom (wheel) -> 2nd frame at ${r.atTarget.nodes} nodes (${r.atTarget.renderedNodes} in view after fit view), ${r.zoom.n} samples (median / p95) | ${r.zoom.median} / ${r.zoom.p95} ms | < 100 ms | ${yes(r.targets.zoomUnder100ms)} |`,
    `| pan (drag) -> 2nd frame at ${r.atTarget.nodes} nodes, ${r.pan.n} samples (median / p95) | ${r.pan.median} / ${r.pan.p95} ms | < 100 ms | ${yes(r.targets.panUnder100ms)} |`,
    '',
    '### Expands (downstream of H, one page each)',
    '',
    '| nodes before -> after | edges after | click -> ready | click -> new graph | placing | impact requests | network span |',
    '|---|---|---|---|---|---|---|',
    ...r.expands.map((e: any) => `| ${e.nodesBefore} -> ${e.nodesAfter} | ${e.edgesAfter} | ${fmt(e.clickToReadyMs)} ms | ${fmt(e.clickToGraphMs)} ms | ${e.placeMs} ms | ${e.impactRequests} | ${fmt(e.networkSpanMs)} ms |`),
    '',
    'An expand fetches only the next page of that node in that direction (one /api/v1/impact request), merges it into the',
    'drawn graph and places the new nodes beside it (existing nodes keep their place); the neighbour counts of the new',
    'nodes follow in the background, a few requests at a time. ELK runs in a web worker on open and on "Re-layout".',
    'Frame times are from the input event\'s timestamp to the second requestAnimationFrame after it, every node in view.',
    '',
  ];
  replaceResultsSection('UI', lines.slice(2).join('\n'));
};

main().catch((e) => {
  process.stderr.write(`${e.stack ?? e}\n`);
  process.exit(1);
});
