import type { Command } from 'commander';
import { EventStore } from '../event-store/event-store.js';
import { CliError, usageError } from './cli-error.js';
import { formatFields, formatTable, palette, toJson, useColor, type Palette } from './output.js';
import { redact } from './redact.js';

/** Options every command takes (declared once, on the program). */
export interface GlobalOptions {
  url?: string;
  schema?: string;
}

/** Where a command writes, and the environment it reads: the process's, or a test's. */
export interface CliIo {
  stdout: { write(text: string): unknown; isTTY?: boolean };
  stderr: { write(text: string): unknown };
  env: NodeJS.ProcessEnv;
}

/**
 * What every command shares: the store URL rules, opening the store, and printing. A command gets
 * one `Cli` and never reads `process` itself, so its output follows the same rules as every other's.
 */
export class Cli {
  readonly colors: Palette;
  /** The URL in use once resolved: what error messages are cleaned of. */
  #url: string | undefined;

  constructor(readonly io: CliIo) {
    this.colors = palette(useColor(io.stdout, io.env));
  }

  /** The store URL: `--url`, else `EVENTUALI_URL`, else `DATABASE_URL`; a usage error (exit 2) when none is set. */
  resolveUrl(command: Command): string {
    const { url } = command.optsWithGlobals<GlobalOptions>();
    const found = [url, this.io.env.EVENTUALI_URL, this.io.env.DATABASE_URL].find((u) => u !== undefined && u !== '');
    if (found === undefined) {
      throw usageError('no store URL: pass --url <url>, or set EVENTUALI_URL or DATABASE_URL (e.g. sqlite://./data/events.db)');
    }
    this.#url = found;
    return found;
  }

  /**
   * Opens the store the command line names (applying migrations it lacks, as `EventStore.create`
   * does), runs `fn` and closes it. Events of types this process has no definition for are read
   * raw: the command knows no application's schemas.
   */
  async withStore<T>(command: Command, fn: (store: EventStore) => Promise<T>): Promise<T> {
    const url = this.resolveUrl(command);
    const { schema } = command.optsWithGlobals<GlobalOptions>();
    const store = await EventStore.create(url, {
      unknownEvents: 'raw',
      ...(schema === undefined ? {} : { schema }),
      onWarning: (message) => this.warn(message),
    });
    try {
      return await fn(store);
    } finally {
      await store.close();
    }
  }

  /** The PostgreSQL schema given with `--schema`, if any. */
  schemaOption(command: Command): string | undefined {
    return command.optsWithGlobals<GlobalOptions>().schema;
  }

  /** One line (or block) on stdout. */
  print(text: string): void {
    this.io.stdout.write(`${text}\n`);
  }

  /** A value as JSON on stdout (bigints as decimal strings): what `--json` prints. */
  printJson(value: unknown): void {
    this.io.stdout.write(`${toJson(value, 2)}\n`);
  }

  /** One JSON value per line (NDJSON), for streams of records such as `log --json`. */
  printJsonLine(value: unknown): void {
    this.io.stdout.write(`${toJson(value)}\n`);
  }

  table(headers: readonly string[], rows: readonly (readonly string[])[], empty?: string): void {
    this.print(formatTable(headers, rows, this.colors, empty));
  }

  fields(fields: readonly (readonly [string, string])[]): void {
    this.print(formatFields(fields, this.colors));
  }

  /** A note on stderr (never on stdout, which scripts parse). Passwords are removed. */
  warn(message: string): void {
    this.io.stderr.write(`eventuali: ${this.redact(message)}\n`);
  }

  /** `text` without the store URL's password (nor any other URL's). */
  redact(text: string): string {
    return redact(text, this.#url);
  }
}

/** A positive integer option value, or a usage error naming the option. */
export function parseCount(option: string): (value: string) => number {
  return (value) => {
    if (!/^[1-9][0-9]{0,8}$/.test(value)) throw usageError(`${option} must be a positive integer, got ${JSON.stringify(value)}`);
    return Number(value);
  };
}

/** A log position option value (`0` is the start), or a usage error naming the option. */
export function parsePosition(option: string): (value: string) => bigint {
  return (value) => {
    if (!/^[0-9]{1,19}$/.test(value)) throw usageError(`${option} must be a log position (0 or more), got ${JSON.stringify(value)}`);
    return BigInt(value);
  };
}

export { CliError };
