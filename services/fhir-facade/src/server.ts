/**
 * Starting and stopping the HTTP server, with a graceful shutdown on SIGTERM/SIGINT: stop accepting,
 * let in-flight requests finish (up to a grace period), then close.
 */
import type { Server } from 'node:http';
import type { Express } from 'express';
import { answerClientErrors } from './fhir/client-error.js';

/** A listening server and how to stop it. */
export interface RunningServer {
  readonly server: Server;
  /** The port actually bound (useful with port 0). */
  readonly port: number;
  /** Stops accepting connections and resolves when in-flight requests are done or the grace period ends. */
  stop(): Promise<void>;
}

/**
 * Listens on `port`/`host`.
 * @param graceMs how long {@link RunningServer.stop} waits for in-flight requests before closing them
 */
export function startServer(app: Express, port: number, host: string, graceMs: number): Promise<RunningServer> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, host);
    answerClientErrors(server);
    server.once('error', reject);
    server.once('listening', () => {
      const address = server.address();
      const bound = typeof address === 'object' && address ? address.port : port;
      let stopping: Promise<void> | undefined;
      const stop = () => {
        stopping ??= new Promise<void>((done) => {
          const timer = setTimeout(() => server.closeAllConnections(), graceMs);
          timer.unref();
          server.close(() => {
            clearTimeout(timer);
            done();
          });
          // Idle keep-alive connections would otherwise hold close() open.
          server.closeIdleConnections();
        });
        return stopping;
      };
      resolve({ server, port: bound, stop });
    });
  });
}

/** The part of `process` that shutdown needs (an EventEmitter in tests). */
export interface SignalSource {
  once(signal: 'SIGTERM' | 'SIGINT', listener: () => void): unknown;
}

/**
 * Stops the server on the first SIGTERM or SIGINT, then calls `exit`.
 * @example onShutdownSignal(process, running, (code) => process.exit(code))
 */
export function onShutdownSignal(source: SignalSource, running: RunningServer, exit: (code: number) => void): void {
  const shutdown = () => {
    running.stop().then(
      () => exit(0),
      () => exit(1),
    );
  };
  source.once('SIGTERM', shutdown);
  source.once('SIGINT', shutdown);
}
