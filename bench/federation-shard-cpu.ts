/** The bench shard's own message (not part of the shard contract): its process's CPU time so far, in ms. */
export const BENCH_CPU = 'bench.cpu';
