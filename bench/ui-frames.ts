/**
 * The UI bench's frame timing, used the same way on the explorer and on the baseline page: input event -> second
 * requestAnimationFrame after it, for mouse-wheel zoom and drag pan over an empty spot of the React Flow pane.
 */
import type { Page } from 'playwright-core';

export const r1 = (x: number) => Math.round(x * 10) / 10;

export const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p: number) => (s.length ? s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)] : NaN);
  return { n: s.length, median: r1(q(0.5)), p95: r1(q(0.95)), max: r1(s[s.length - 1]) };
};
export type Stats = ReturnType<typeof stats>;

/** Zoom (wheel) and pan (drag) frame times on the React Flow pane inside `container`, `samples` of each. */
export const zoomAndPan = async (page: Page, container: string, samples: number): Promise<{ zoom: Stats; pan: Stats }> => {
  await page.evaluate(() => {
    const g = globalThis as any;
    if (g.__frames) return;
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
  const spot = await page.evaluate((sel) => {
    const doc = (globalThis as any).document;
    const r = doc.querySelector(sel).getBoundingClientRect();
    for (let y = r.top + r.height * 0.3; y < r.bottom - 40; y += 13)
      for (let x = r.left + r.width * 0.2; x < r.right - 240; x += 17) if (doc.elementFromPoint(x, y)?.classList.contains('react-flow__pane')) return { x, y };
    return { x: r.left + 10, y: r.top + 10 };
  }, container);
  const sample = async (input: () => Promise<void>) => {
    const k = await page.evaluate(() => ((globalThis as any).__armed = true, (globalThis as any).__frames.length));
    await input();
    await page.waitForFunction((n) => (globalThis as any).__frames.length > n, k, { timeout: 30_000 });
  };
  await page.mouse.move(spot.x, spot.y);
  for (let i = 0; i < samples; i++) await sample(() => page.mouse.wheel(0, i % 2 ? 120 : -120));
  const zoom = stats(await page.evaluate(() => (globalThis as any).__frames.splice(0)));
  await page.mouse.move(spot.x, spot.y);
  await page.mouse.down();
  for (let i = 0; i < samples; i++) await sample(() => page.mouse.move(spot.x + (i % 2 ? 0 : 12) + i, spot.y + (i % 2 ? 8 : 0)));
  await page.mouse.up();
  const pan = stats(await page.evaluate(() => (globalThis as any).__frames.splice(0)));
  return { zoom, pan };
};
