import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { InspectorHandler } from '../../src/inspector.js';

export interface Served {
  /** e.g. http://127.0.0.1:41234 */
  origin: string;
  close(): Promise<void>;
}

/** A plain node:http server on a free loopback port; paths the handler does not take answer 404 'outside'. */
export async function serve(handler: InspectorHandler): Promise<Served> {
  const server: Server = createServer((req, res) =>
    handler(req, res, () => {
      res.statusCode = 404;
      res.end('outside');
    }),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
