import { mapInSlices, TimeSlice } from './time-slice';

describe('TimeSlice', () => {
  it('does not yield within its budget', async () => {
    const slice = new TimeSlice(10_000);
    let other = false;
    setImmediate(() => (other = true));
    await slice.pause();
    expect(other).toBe(false);
  });

  it('yields to pending work once its budget has run out', async () => {
    const slice = new TimeSlice(0);
    let other = false;
    setImmediate(() => (other = true));
    await slice.pause();
    expect(other).toBe(true);
  });

  it('starts a new slice instead of pausing when the event loop waited for I/O meanwhile, and pauses after busy work', async () => {
    const slice = new TimeSlice(5);
    await new Promise((resolve) => setTimeout(resolve, 20)); // the loop waits (idle) for the timer: others had their turn
    let other = false;
    setImmediate(() => (other = true));
    await slice.pause();
    expect(other).toBe(false);
    const until = Date.now() + 10;
    while (Date.now() < until); // 10 ms of work without a wait
    expect(slice.due()).toBe(true);
    await slice.pause();
    expect(other).toBe(true);
  });

  it('maps in order, letting other work in between slices', async () => {
    let others = 0;
    const timer = setInterval(() => (others += 1), 0);
    const out = await mapInSlices(Array.from({ length: 200 }, (_, i) => i), (x) => {
      const until = Date.now() + 1;
      while (Date.now() < until); // 1 ms of work per item
      return x * 2;
    }, new TimeSlice(5));
    clearInterval(timer);
    expect(out).toEqual(Array.from({ length: 200 }, (_, i) => i * 2));
    expect(others).toBeGreaterThan(0);
  });
});
