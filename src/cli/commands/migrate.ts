import type { Command } from 'commander';
import { pendingMigrations } from '../../event-store/pending-migrations.js';
import { CliError, type Cli } from '../cli-context.js';

interface MigrateOptions {
  print?: boolean;
  check?: boolean;
  json?: boolean;
}

export function registerMigrate(program: Command, cli: Cli): void {
  program
    .command('migrate')
    .description("apply the store's pending schema migrations (every other command applies them too when it opens the store)")
    .option('--print', 'print the SQL of the pending migrations instead of applying them')
    .option('--check', 'apply nothing; exit 1 when migrations are pending (for a deploy pipeline)')
    .option('--json', 'print JSON')
    .addHelpText(
      'after',
      `
Examples:
  $ eventuali migrate --url postgresql://app@db:5432/app           # before a deploy
  $ eventuali migrate --check || echo "migrations pending"
  $ eventuali migrate --print > pending.sql                        # for a DBA to review`,
    )
    .action(async (options: MigrateOptions, command: Command) => {
      const url = cli.resolveUrl(command);
      const schema = cli.schemaOption(command);
      const pending = await pendingMigrations(url, schema === undefined ? {} : { schema });
      const summary = pending.map((m) => ({ version: m.version, name: m.name }));
      if (options.print || options.check) {
        if (options.json) cli.printJson({ pending: options.print ? pending : summary });
        else if (options.print) cli.print(pending.length === 0 ? '-- no pending migrations' : pending.map((m) => `-- migration ${m.version}: ${m.name}\n${m.sql};\n`).join('\n'));
        else cli.print(pending.length === 0 ? 'up to date' : `${pending.length} pending: ${summary.map((m) => `${m.version} ${m.name}`).join(', ')}`);
        if (options.check && pending.length > 0) throw new CliError(`${pending.length} migration(s) pending`);
        return;
      }
      await cli.withStore(command, async () => undefined);
      if (options.json) return cli.printJson({ applied: summary });
      cli.print(pending.length === 0 ? 'up to date: nothing to apply' : `applied ${summary.map((m) => `${m.version} (${m.name})`).join(', ')}`);
    });
}
