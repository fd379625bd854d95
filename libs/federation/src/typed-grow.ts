/** Typed arrays that grow: the same array when it is long enough, else a copy at least twice as long. */
export type GrowableArray = Int32Array | Uint8Array | Uint16Array | Uint32Array;

export const grow = <T extends GrowableArray>(array: T, length: number): T => {
  if (length <= array.length) return array;
  const next = new (array.constructor as new (n: number) => T)(Math.max(length, array.length * 2));
  next.set(array);
  return next;
};
