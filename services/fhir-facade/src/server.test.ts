import { EventEmitter } from 'node:events';
import express from 'express';
import { onShutdownSignal, startServer } from './server.js';

function slowApp(delayMs: number) {
  const app = express();
  app.get('/slow', (_req, res) => {
    // unref: a request cut off by shutdown must not keep the test process alive.
    setTimeout(() => res.json({ done: true }), delayMs).unref();
  });
  return app;
}

describe('graceful shutdown', () => {
  it('lets an in-flight request finish, then exits 0 on SIGTERM', async () => {
    const running = await startServer(slowApp(300), 0, '127.0.0.1', 5000);
    const signals = new EventEmitter();
    const exited = new Promise<number>((resolve) => onShutdownSignal(signals, running, resolve));

    const inFlight = fetch(`http://127.0.0.1:${running.port}/slow`).then((r) => r.json());
    await new Promise((r) => setTimeout(r, 50));
    signals.emit('SIGTERM');

    await expect(inFlight).resolves.toEqual({ done: true });
    await expect(exited).resolves.toBe(0);
    await expect(fetch(`http://127.0.0.1:${running.port}/slow`)).rejects.toThrow();
  });

  it('closes requests still running when the grace period ends', async () => {
    const running = await startServer(slowApp(10_000), 0, '127.0.0.1', 100);
    const inFlight = fetch(`http://127.0.0.1:${running.port}/slow`).then(
      () => 'answered',
      () => 'cut off',
    );
    await new Promise((r) => setTimeout(r, 50));
    const started = Date.now();
    await running.stop();
    expect(Date.now() - started).toBeLessThan(2000);
    await expect(inFlight).resolves.toBe('cut off');
  });
});
