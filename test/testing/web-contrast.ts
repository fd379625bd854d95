/**
 * An axe-like colour-contrast check run in the page: every visible element with its own text, its computed colour
 * against the first opaque background behind it (ancestors' backgrounds, opacity multiplied in), WCAG 2.x contrast
 * ratio; 4.5:1 for normal text, 3:1 for large text (>= 24px, or >= 18.66px bold). Disabled controls are exempt (as
 * in WCAG). Returns the elements below their threshold.
 */
import type { Page } from 'playwright-core';

export interface ContrastFailure {
  text: string;
  color: string;
  background: string;
  ratio: number;
  required: number;
}

export const contrastFailures = (page: Page, root = 'body'): Promise<ContrastFailure[]> =>
  page.evaluate((rootSelector) => {
    const g = globalThis as any;
    const parse = (c: string): [number, number, number, number] => {
      const m = /rgba?\(([^)]+)\)/.exec(c);
      if (!m) return [0, 0, 0, 0];
      const p = m[1].split(/[ ,/]+/).filter(Boolean).map(Number);
      return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
    };
    const over = (top: number[], bottom: number[]) => [0, 1, 2].map((i) => top[i] * top[3] + bottom[i] * (1 - top[3]));
    const lum = (rgb: number[]) => {
      const [r, gg, b] = rgb.map((v) => {
        const s = v / 255;
        return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
      });
      return 0.2126 * r + 0.7152 * gg + 0.0722 * b;
    };
    const backgroundOf = (el: any): number[] => {
      const layers: number[][] = [];
      for (let e = el; e; e = e.parentElement) {
        const bg = parse(g.getComputedStyle(e).backgroundColor);
        if (bg[3] > 0) layers.push(bg);
        if (bg[3] >= 1) break;
      }
      let colour = [255, 255, 255];
      for (let i = layers.length - 1; i >= 0; i--) colour = over(layers[i], colour);
      return colour;
    };
    const opacityOf = (el: any) => {
      let o = 1;
      for (let e = el; e; e = e.parentElement) o *= Number(g.getComputedStyle(e).opacity);
      return o;
    };
    const out: any[] = [];
    const all = g.document.querySelectorAll(`${rootSelector}, ${rootSelector} *`);
    for (const el of all) {
      const own = [...el.childNodes].filter((n: any) => n.nodeType === 3 && n.textContent.trim()).map((n: any) => n.textContent.trim()).join(' ');
      if (!own) continue;
      const rect = el.getBoundingClientRect();
      const style = g.getComputedStyle(el);
      if (rect.width === 0 || rect.height === 0 || style.visibility === 'hidden' || style.display === 'none') continue;
      if (el.closest(':disabled, [aria-disabled="true"]')) continue;
      const bg = backgroundOf(el);
      const fgRaw = parse(style.color);
      const fg = over([fgRaw[0], fgRaw[1], fgRaw[2], fgRaw[3] * opacityOf(el)], bg);
      const [hi, lo] = [lum(fg), lum(bg)].sort((a, b) => b - a);
      const ratio = (hi + 0.05) / (lo + 0.05);
      const size = parseFloat(style.fontSize);
      const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
      const required = large ? 3 : 4.5;
      if (ratio < required) out.push({ text: own.slice(0, 40), color: style.color, background: `rgb(${bg.map(Math.round).join(', ')})`, ratio: Math.round(ratio * 100) / 100, required });
    }
    return out;
  }, root);
