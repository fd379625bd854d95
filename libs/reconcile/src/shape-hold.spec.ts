import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { holdShape } from './shape-hold';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

class Held {
  constructor(readonly n: number) {
    holdShape(this);
  }
}

class Other {
  constructor(readonly n: number) {
    holdShape(this);
  }
}

/** A WeakRef to a new instance, made in a function of its own so no local of the test holds it. */
const made = <T extends object>(make: () => T): WeakRef<T> => new WeakRef(make());

// WeakRef targets stay alive until the current job ends: each gc below runs after an await
const collect = async () => {
  await new Promise((resolve) => setImmediate(resolve));
  gc();
};

describe('holdShape', () => {
  it('keeps the latest instance of each class alive through a gc, and only that one', async () => {
    const first = made(() => new Held(1));
    const other = made(() => new Other(1));
    await collect();
    expect(first.deref()?.n).toBe(1); // the latest of its class: held
    const second = made(() => new Held(2));
    await collect();
    expect(second.deref()?.n).toBe(2);
    expect(first.deref()).toBeUndefined(); // replaced by the next one: released (one per class, never more)
    expect(other.deref()?.n).toBe(1); // another class's latest is held on its own
  });
});
