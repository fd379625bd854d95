/** Durations as policies write them: "90s", "45m", "6h", "2d", "1w", ISO-8601 "PT6H"/"P1DT2H", or milliseconds. */
const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };
const SIMPLE = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d|w)$/i;
const ISO = /^P(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/i;

/** Milliseconds, or null when the text is no positive duration. */
export const parseDuration = (value: unknown): number | null => {
  if (typeof value === 'number') return Number.isFinite(value) && value > 0 ? value : null;
  if (typeof value !== 'string') return null;
  const text = value.trim();
  const simple = SIMPLE.exec(text);
  if (simple) {
    const ms = Number(simple[1]) * UNIT_MS[simple[2].toLowerCase()];
    return ms > 0 ? ms : null;
  }
  const iso = ISO.exec(text);
  if (iso && text.length > 1 && !text.toUpperCase().endsWith('T')) {
    const [, w, d, h, m, s] = iso.map((x) => (x === undefined ? 0 : Number(x)));
    const ms = w * UNIT_MS.w + d * UNIT_MS.d + h * UNIT_MS.h + m * UNIT_MS.m + s * UNIT_MS.s;
    return ms > 0 ? ms : null;
  }
  return null;
};
