/** The part of madge's API test/architecture/architecture.spec.ts uses (madge ships no types). */
declare module 'madge' {
  interface MadgeResult {
    circular(): string[][];
  }
  function madge(paths: string | string[], config?: Record<string, unknown>): Promise<MadgeResult>;
  export default madge;
}
