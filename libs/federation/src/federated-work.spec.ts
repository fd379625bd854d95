import { FederatedWork } from './federated-work';

describe('FederatedWork', () => {
  it('keeps each id once, at its shortest distance, in the order first queued', () => {
    const work = new FederatedWork(2);
    work.offer(5, 3);
    work.offer(1, 2);
    work.offer(5, 1);
    work.offer(1, 4);
    work.offer(40, 0);
    expect(work.ids).toEqual([5, 1, 40]);
    expect(work.ids.map((p) => work.distance(p))).toEqual([1, 2, 0]);
    expect(work.size).toBe(3);
  });
});
