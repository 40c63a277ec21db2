import { ConnectionError, InvalidArgumentError, isEventualiError } from '../../core/errors.js';

/** The SQLSTATE of a server error, or the Node.js code (ECONNREFUSED…) of a socket error. */
export function postgresCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

export function isUniqueViolation(error: unknown): boolean {
  return postgresCode(error) === '23505';
}

/** The constraint a server error names, e.g. the unique index a duplicate hit. */
export function violatedConstraint(error: unknown): string | undefined {
  const constraint = (error as { constraint?: unknown } | null)?.constraint;
  return typeof constraint === 'string' ? constraint : undefined;
}

const SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

const SERVER_CODES = new Set([
  '57P01', // admin_shutdown: the server (or pg_terminate_backend) ended the session
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now: starting up or shutting down
  '53300', // too_many_connections
  '28000', // invalid_authorization_specification
  '28P01', // invalid_password
  '3D000', // invalid_catalog_name: the database does not exist
]);

// node-postgres reports a lost or unusable connection as a plain Error with one of these messages.
const DRIVER_MESSAGES =
  /Connection terminated|Client has encountered a connection error|Client was closed|timeout exceeded when trying to connect|Cannot use a pool after calling end/i;

// ...and a failed password handshake (SCRAM, or a password of the wrong type) or TLS negotiation.
const HANDSHAKE_MESSAGES = /^SASL: |^Password must be a string|does not support SSL connections/;

/** What to fix, for the failures whose own message does not say it. */
function remedy(error: unknown): string | undefined {
  const message = error instanceof Error ? error.message : '';
  if (/client password must be a (non-empty )?string|^Password must be a string/.test(message)) {
    return 'the URL has no password and the server asks for one: put it in the URL (postgresql://user:password@host:port/database)';
  }
  if (message.startsWith('SASL: ')) return 'password authentication failed: check the user and password in the URL';
  switch (postgresCode(error)) {
    case 'ECONNREFUSED':
      return 'nothing accepts connections there: is the server running, and are the host and port in the URL right?';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'the host name in the URL does not resolve';
    case '28P01':
      return 'check the user and password in the URL';
    case '28000':
      return 'the server does not let this user connect from here: check the user in the URL and the server\'s pg_hba.conf';
    case '3D000':
      return 'create the database, or fix its name in the URL';
    default:
      return undefined;
  }
}

/**
 * A `ConnectionError` for a failure to connect, authenticate or keep a connection: the driver's
 * message (without `secret`), what to fix when known, the driver's error as `cause`.
 */
export function connectionFailure(error: unknown, secret?: string): ConnectionError {
  const detail = error instanceof Error ? redact(error.message, secret) : 'unknown error';
  const code = postgresCode(error);
  const fix = remedy(error);
  return new ConnectionError(`PostgreSQL connection failed${code ? ` (${code})` : ''}: ${detail}${fix ? `; ${fix}` : ''}`, { cause: error });
}

/** True when the error means the database could not be reached or dropped the connection. */
export function isConnectionFailure(error: unknown): boolean {
  const code = postgresCode(error);
  if (code !== undefined && (SOCKET_CODES.has(code) || SERVER_CODES.has(code) || code.startsWith('08'))) return true;
  if (error instanceof AggregateError) return error.errors.some(isConnectionFailure);
  return error instanceof Error && (DRIVER_MESSAGES.test(error.message) || HANDSHAKE_MESSAGES.test(error.message));
}

/**
 * Maps the errors the library knows the meaning of, keeping the original as `cause`; returns others
 * unchanged. `secret` (the URL's password) is cut out of every message the library writes.
 */
export function classifyPostgresError(error: unknown, secret?: string): unknown {
  if (isEventualiError(error)) return error;
  if (isConnectionFailure(error)) return connectionFailure(error, secret);
  const code = postgresCode(error);
  // jsonb refuses text that is not JSON, and the \u0000 escape (it cannot store NUL characters).
  if (code === '22P05' || (code === '22P02' && error instanceof Error && /json/i.test(error.message))) {
    const detail = error instanceof Error ? redact(error.message, secret) : '';
    return new InvalidArgumentError('JSON text', `PostgreSQL jsonb does not accept it: ${detail}`);
  }
  // A NUL character in text the library did not check (text columns cannot hold it).
  if (code === '22021') {
    const detail = error instanceof Error ? redact(error.message, secret) : '';
    return new InvalidArgumentError('text', `PostgreSQL does not accept it: ${detail}`);
  }
  return error;
}

function redact(message: string, secret: string | undefined): string {
  if (secret === undefined || secret.length === 0) return message;
  return message.split(secret).join('***');
}
