import type { AuthorizerInvoker, InvocationOptions } from './authorizer-invoker';
import { AuthorizerTimeoutError, BoundedInvoker } from './bounded-invoker';

/** An invoker whose calls finish when the test says so. */
function manual() {
  const pending: Array<{ resolve: (v: unknown) => void; options: InvocationOptions }> = [];
  const invoker: AuthorizerInvoker = {
    invoke: (_event, options) => new Promise((resolve) => pending.push({ resolve, options })),
  };
  return { invoker, pending };
}

describe('BoundedInvoker', () => {
  it('runs at most maxConcurrency at once; the rest wait in line', async () => {
    const { invoker, pending } = manual();
    const bounded = new BoundedInvoker(invoker, 5_000, 2);
    const calls = [1, 2, 3].map((n) => bounded.invoke(n, { requestId: String(n) }));
    await new Promise((resolve) => setImmediate(resolve));
    expect(pending).toHaveLength(2);
    pending[0]?.resolve('a');
    await new Promise((resolve) => setImmediate(resolve));
    expect(pending).toHaveLength(3);
    pending[1]?.resolve('b');
    pending[2]?.resolve('c');
    await expect(Promise.all(calls)).resolves.toEqual(['a', 'b', 'c']);
  });

  it('times out (waiting included), aborts the signal, and frees the line', async () => {
    const { invoker, pending } = manual();
    const bounded = new BoundedInvoker(invoker, 30, 1);
    const first = bounded.invoke(1, { requestId: '1' });
    const second = bounded.invoke(2, { requestId: '2' });
    await expect(first).rejects.toBeInstanceOf(AuthorizerTimeoutError);
    await expect(second).rejects.toBeInstanceOf(AuthorizerTimeoutError);
    expect(pending[0]?.options.signal.aborted).toBe(true);
    pending[0]?.resolve('late');
    await new Promise((resolve) => setImmediate(resolve));
    const third = bounded.invoke(3, { requestId: '3' });
    await new Promise((resolve) => setImmediate(resolve));
    pending.at(-1)?.resolve('ok');
    await expect(third).resolves.toBe('ok');
  });
});
