/**
 * UI bench: the lineage explorer (apps/web, served by the gateway at `/`) in Debian's Chromium via playwright-core,
 * against one shard (SQLite in a temp dir) and the gateway started from dist/. Generated lineage: a hub dataset H
 * read by HUB_FANOUT jobs (default 5,000), each writing its own dataset.
 *   1. open `#/lineage?node=H`: time to data-layout="ready", nodes drawn (paged, not all 5,000), page
 *      responsiveness while loading (evaluate round trips, and the longest main-thread task: a freeze shows there);
 *   2. expand downstream of H until >= TARGET_NODES (500) nodes are drawn: click -> ready (the new page placed
 *      beside the drawn nodes; window.__lastPlaceMs) and the /api/v1/impact network span from resource timing;
 *   3. "Re-layout": ELK over the whole graph at that size (window.__lastLayoutMs, timed in the page);
 *   4. fit view (every node in view), then pan (drag) and zoom (wheel): input -> second animation frame;
 *   5. the baseline in the same browser (bench/ui-baseline.ts): a bare React Flow page with as many nodes, ELK over
 *      the whole graph in a fresh worker, the same pan and zoom probes. On this shared machine the load decides
 *      most of every figure; the ratio to the baseline shows what the explorer's own code costs.
 * One JSON line on stdout; the "## UI" section of bench/RESULTS.md is replaced. Exits 1 if opening H drew more than
 * two pages (not paged) or froze the page (a task over 5 s). Run: `npm run bench:ui`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { replaceResultsSection } from './results-section';
import { buildBaseline, measureBaseline } from './ui-baseline';
import { r1, stats, zoomAndPan } from './ui-frames';

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

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const canvasAttr = (page: Page) =>
  page.evaluate(() => {
    const c = (globalThis as any).document.querySelector('[data-testid="canvas"]');
    return { nodes: Number(c?.getAttribute('data-nodes') ?? 0), edges: Number(c?.getAttribute('data-edges') ?? 0), layout: c?.getAttribute('data-layout') ?? 'none', lastLayoutMs: (globalThis as any).__lastLayoutMs as number | undefined, elkNodes: (globalThis as any).__lastLayoutElkNodes as number | undefined };
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
    // main-thread tasks over 50 ms from the first script on (a freeze is one long task)
    await context.addInitScript(() => {
      const g = globalThis as any;
      g.__longTasks = [];
      new g.PerformanceObserver((list: any) => g.__longTasks.push(...list.getEntries().map((e: any) => e.duration))).observe({ type: 'longtask', buffered: true });
    });
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    const openStart = performance.now();
    await page.goto(`${G}/#/lineage?node=${encodeURIComponent(H)}`, { waitUntil: 'commit' });
    const rtts: number[] = [];
    let open = { nodes: 0, edges: 0, layout: 'none', lastLayoutMs: undefined as number | undefined, elkNodes: undefined as number | undefined };
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
    const longTasks = stats(await page.evaluate(() => (globalThis as any).__longTasks.splice(0) as number[]));
    const openSummary = { readyMs: Math.round(openMs), nodes: open.nodes, edges: open.edges, layoutMs: r1(open.lastLayoutMs ?? NaN), elkNodes: open.elkNodes, evaluateRoundTrip: stats(rtts), longTasks, responsive: Math.max(...rtts) < 1000 };
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
        new Promise<{ layoutMs: number; elkNodes: number; clickToReadyMs: number }>((resolve) => {
          const g = globalThis as any;
          const doc = g.document;
          g.__lastLayoutMs = undefined;
          const t0 = g.performance.now();
          [...doc.querySelectorAll('button')].find((b: any) => b.textContent.trim() === 'Re-layout').click();
          const poll = () => {
            const ready = doc.querySelector('[data-testid="canvas"]')?.getAttribute('data-layout') === 'ready';
            if (g.__lastLayoutMs !== undefined && ready) resolve({ layoutMs: g.__lastLayoutMs, elkNodes: g.__lastLayoutElkNodes, clickToReadyMs: g.performance.now() - t0 });
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
    const { zoom, pan } = await zoomAndPan(page, '[data-testid="canvas"]', SAMPLES);
    const finalCanvas = await canvasAttr(page);
    await context.close();

    // ---- the baseline, same browser, same size
    buildBaseline(ROOT, path.join(dataDir, 'baseline'));
    const baseline = await measureBaseline(browser, path.join(dataDir, 'baseline'), finalCanvas.nodes, SAMPLES);
    process.stderr.write(`baseline: ${JSON.stringify(baseline)}\n`);
    const load1 = os.loadavg();

    const layoutAtTarget = relayout.layoutMs;
    const expandMedian = stats(expands.map((e) => e.clickToReadyMs));
    const targets = {
      openPaged: openSummary.nodes <= 2 * 25 + 1,
      openResponsive: openSummary.responsive,
      openNoFreeze: !(longTasks.max > 5000),
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
      atTarget: { nodes: finalCanvas.nodes, edges: finalCanvas.edges, renderedNodes, layoutMs: layoutAtTarget, elkNodes: relayout.elkNodes, relayoutClickToReadyMs: r1(relayout.clickToReadyMs), clickToReadyMs: atTarget?.clickToReadyMs, networkSpanMs: atTarget?.networkSpanMs },
      expand: { clickToReady: expandMedian, network: stats(expands.map((e) => e.networkSpanMs)), place: stats(expands.map((e) => e.placeMs)) },
      zoom,
      pan,
      baseline,
      targets,
      pageErrors,
    };
    process.stdout.write(JSON.stringify(result) + '\n');
    writeSection(result);
    if (!targets.openPaged || !targets.openNoFreeze) process.exitCode = 1;
  } finally {
    await browser.close().catch(() => undefined);
    for (const p of procs) if (p.child.exitCode === null) p.child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  }
};

const yes = (b: boolean) => (b ? 'met' : '**not met**');
const fmt = (x: number) => (Number.isFinite(x) ? Math.round(x).toLocaleString('en-US') : 'n/a');
const ratio = (a: number, b: number) => (Number.isFinite(a / b) ? `${(a / b).toFixed(2)}x` : 'n/a');

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
    `| open H (\`#/lineage?node=H\`, ${fmt(r.data.downstreamNeighbours)} neighbours) -> data-layout=ready | ${fmt(r.open.readyMs)} ms, ${r.open.nodes} nodes drawn (layout ${fmt(r.open.layoutMs)} ms, ${r.open.elkNodes} nodes for ELK) | paged: <= 2 pages of 25 | ${yes(r.targets.openPaged)} |`,
    `| page responsiveness while opening (\`page.evaluate\` round trip) | median ${r.open.evaluateRoundTrip.median} ms, max ${r.open.evaluateRoundTrip.max} ms | < 1 s | ${yes(r.targets.openResponsive)} |`,
    `| main-thread tasks over 50 ms while opening (longtask) | ${r.open.longTasks.n}, longest ${fmt(r.open.longTasks.max)} ms | no freeze (none over 5 s) | ${yes(r.targets.openNoFreeze)} |`,
    `| ELK layout ("Re-layout") at ${r.atTarget.nodes} nodes / ${r.atTarget.edges} edges (window.__lastLayoutMs; ${r.atTarget.elkNodes} nodes for ELK after leaf stacks; click -> ready ${fmt(r.atTarget.relayoutClickToReadyMs)} ms) | ${fmt(r.atTarget.layoutMs)} ms | < 1 s | ${yes(r.targets.layoutUnder1s)} |`,
    `| baseline: ELK over all ${r.baseline.nodes} nodes, no leaf stacks, a fresh worker (bare page) | ${fmt(r.baseline.elkMs)} ms | | |`,
    `| edges drawn at ${r.atTarget.nodes} nodes | ${r.atTarget.edges} | >= nodes - 1 (a tree) | ${yes(r.targets.edgesDrawn)} |`,
    `| expand click -> ready, ${r.expands.length} expands (median / p95) | ${fmt(r.expand.clickToReady.median)} / ${fmt(r.expand.clickToReady.p95)} ms | < 100 ms | ${yes(r.targets.expandUnder100ms)} |`,
    `| of which /api/v1/impact network span after the click (median / p95; 0: the page had been fetched ahead) | ${fmt(r.expand.network.median)} / ${fmt(r.expand.network.p95)} ms | | |`,
    `| of which placing the new nodes (median / p95) | ${r.expand.place.median} / ${r.expand.place.p95} ms | | |`,
    `| zoom (wheel) -> 2nd frame at ${r.atTarget.nodes} nodes (${r.atTarget.renderedNodes} in view after fit view), ${r.zoom.n} samples (median / p95) | ${r.zoom.median} / ${r.zoom.p95} ms | < 100 ms | ${yes(r.targets.zoomUnder100ms)} |`,
    `| pan (drag) -> 2nd frame at ${r.atTarget.nodes} nodes, ${r.pan.n} samples (median / p95) | ${r.pan.median} / ${r.pan.p95} ms | < 100 ms | ${yes(r.targets.panUnder100ms)} |`,
    `| baseline: zoom on a bare React Flow page, ${r.baseline.nodes} nodes (${r.baseline.renderedNodes} drawn), same probe (median / p95) | ${r.baseline.zoom.median} / ${r.baseline.zoom.p95} ms | | |`,
    `| baseline: pan on the bare page (median / p95) | ${r.baseline.pan.median} / ${r.baseline.pan.p95} ms | | |`,
    `| explorer / baseline, median: layout, zoom, pan | ${ratio(r.atTarget.layoutMs, r.baseline.elkMs)}, ${ratio(r.zoom.median, r.baseline.zoom.median)}, ${ratio(r.pan.median, r.baseline.pan.median)} | | |`,
    '',
    '### Expands (downstream of H, one page each)',
    '',
    '| nodes before -> after | edges after | click -> ready | click -> new graph | placing | impact requests | network span |',
    '|---|---|---|---|---|---|---|',
    ...r.expands.map((e: any) => `| ${e.nodesBefore} -> ${e.nodesAfter} | ${e.edgesAfter} | ${fmt(e.clickToReadyMs)} ms | ${fmt(e.clickToGraphMs)} ms | ${e.placeMs} ms | ${e.impactRequests} | ${fmt(e.networkSpanMs)} ms |`),
    '',
    'An expand fetches only the next page of that node in that direction (one /api/v1/impact request), merges it into the',
    'drawn graph and places the new nodes beside it (existing nodes keep their place); the neighbour counts of the new',
    'nodes in view follow in the background, a few requests at a time; the page after the one drawn is fetched ahead, so a',
    'click that comes after it arrived does not wait for the network. ELK runs in its own web worker (started on',
    'mount) on open and on "Re-layout"; chains fanned out from one node (a job and its table) reach it as one',
    'block (apps/web/src/graph/leaf-stacks.ts). Pan and zoom: culling is off below 1,000 nodes, the dotted',
    'background is left out when zoomed out past 0.3, names past 0.1 (a few pixels high), edges have no second pointer path.',
    'Frame times are from the input event\'s timestamp to the second requestAnimationFrame after it, every node in view.',
    '',
  ];
  replaceResultsSection('UI', lines.slice(2).join('\n'));
};

main().catch((e) => {
  process.stderr.write(`${e.stack ?? e}\n`);
  process.exit(1);
});
