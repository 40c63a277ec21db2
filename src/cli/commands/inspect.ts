import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Command } from 'commander';
import { createInspector } from '../../inspector/create-inspector.js';
import { usageError } from '../cli-error.js';
import type { Cli } from '../cli-context.js';

interface InspectOptions {
  port: string;
  host: string;
  allowWrites?: boolean;
  token?: string;
}

/** Loopback addresses: only this machine can connect, so no token is needed. */
function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

function checkOptions(options: InspectOptions, token: string | undefined): number {
  const port = Number(options.port);
  if (!/^\d{1,5}$/.test(options.port) || port > 65_535) throw usageError(`--port must be a port number (0-65535), got ${JSON.stringify(options.port)}`);
  if (!isLoopback(options.host) && token === undefined) {
    throw usageError(`--host ${options.host} lets other machines connect: give --token (or EVENTUALI_INSPECTOR_TOKEN) too`);
  }
  if (token !== undefined && (token.length < 8 || /[\s;,]/.test(token))) {
    throw usageError('the token must be at least 8 characters, without spaces, commas or semicolons');
  }
  return port;
}

export function registerInspect(program: Command, cli: Cli): void {
  program
    .command('inspect')
    .description('serve the web inspector over the store until Ctrl-C (read-only unless --allow-writes)')
    .option('--port <port>', 'port to listen on (0: any free port)', '4000')
    .option('--host <host>', 'address to bind; anything but loopback needs --token', '127.0.0.1')
    .option('--allow-writes', 'allow replaying and discarding dead letters')
    .option('--token <token>', 'require this token on every request (default: $EVENTUALI_INSPECTOR_TOKEN)')
    .addHelpText(
      'after',
      `
Binds 127.0.0.1 by default. With a token, open the printed URL with ?token=<token> once: the
browser keeps it in a cookie. Prefer EVENTUALI_INSPECTOR_TOKEN to --token (other users can see
command lines). Write actions also need allowWrites and the token in the POST.

Example:
  $ eventuali inspect --url sqlite://./data/events.db
  $ EVENTUALI_INSPECTOR_TOKEN=s3cret-token eventuali inspect --host 0.0.0.0 --port 4000`,
    )
    .action(async (options: InspectOptions, command: Command) => {
      const token = options.token ?? (cli.io.env.EVENTUALI_INSPECTOR_TOKEN || undefined);
      const port = checkOptions(options, token);
      await cli.withStore(command, async (store) => {
        const inspector = createInspector(store, { allowWrites: options.allowWrites === true, ...(token === undefined ? {} : { token }) });
        const server = createServer((req, res) => inspector(req, res));
        await new Promise<void>((resolve, reject) => {
          server.once('error', reject);
          server.listen(port, options.host, resolve);
        });
        const address = server.address() as AddressInfo;
        const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
        cli.print(`eventuali inspector on http://${host}:${address.port}/ (${options.allowWrites ? 'writes allowed' : 'read-only'}${token ? ', token required: open it once with ?token=<token>' : ''})`);
        cli.print('Press Ctrl-C to stop.');
        await new Promise<void>((resolve) => {
          process.once('SIGINT', resolve);
          process.once('SIGTERM', resolve);
        });
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      });
    });
}
