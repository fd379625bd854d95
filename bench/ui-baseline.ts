/**
 * The UI bench's baseline, measured in the same run and browser as the explorer: a bare @xyflow/react page
 * (bench/ui-baseline-page/main.mjs, built with Vite into a temp dir and served to the browser by request interception)
 * with the same number of nodes as the explorer at the bench's target, laid out by ELK over the whole graph in
 * ELK's own worker with the explorer's large-graph options (no leaf stacks), and the same zoom and pan probes.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { r1, type Stats, zoomAndPan } from './ui-frames';

const ORIGIN = 'http://baseline.invalid';

/** Builds the page into `outDir` (Vite, the repo's own dependencies). */
export const buildBaseline = (root: string, outDir: string): void => {
  const vite = path.join(root, 'node_modules', 'vite', 'bin', 'vite.js');
  const r = spawnSync(process.execPath, [vite, 'build', '--config', path.join(root, 'bench', 'ui-baseline-page', 'vite.config.mjs')], { cwd: root, env: { ...process.env, BASELINE_OUT: outDir }, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`building the baseline page failed: ${r.stderr || r.stdout}`);
};

export interface BaselineResult {
  nodes: number;
  /** ELK over the whole graph, in a fresh worker (as a page's first layout is). */
  elkMs: number;
  renderedNodes: number;
  zoom: Stats;
  pan: Stats;
}

export const measureBaseline = async (browser: Browser, outDir: string, nodes: number, samples: number): Promise<BaselineResult> => {
  const context = await browser.newContext({ timezoneId: 'UTC', viewport: { width: 1400, height: 900 } });
  await context.route(`${ORIGIN}/**`, (route) => {
    const p = new URL(route.request().url()).pathname;
    const file = path.join(outDir, p === '/' ? 'index.html' : path.normalize(p));
    const type = file.endsWith('.js') ? 'text/javascript' : file.endsWith('.css') ? 'text/css' : 'text/html';
    return route.fulfill({ body: readFileSync(file), contentType: type });
  });
  try {
    const page = await context.newPage();
    await page.goto(`${ORIGIN}/?n=${nodes}&elk=1&bg=1`);
    await page.locator('#root[data-ready]').waitFor({ timeout: 300_000 });
    await page.waitForTimeout(1000);
    const elkMs = r1(await page.evaluate(() => (globalThis as any).__elkMs as number));
    const renderedNodes = await page.locator('.react-flow__node').count();
    const { zoom, pan } = await zoomAndPan(page, '#root', samples);
    return { nodes, elkMs, renderedNodes, zoom, pan };
  } finally {
    await context.close();
  }
};
