import type { Command } from 'commander';
import { SAGA_STATUSES, type SagaState, type SagaStatus } from '../../saga/saga-instance.js';
import { listSagas, sagaDetails, type SagaTimelineEntry } from '../../operations/saga-queries.js';
import { CliError, parseCount, type Cli } from '../cli-context.js';
import { usageError } from '../cli-error.js';
import { cell, type Palette } from '../output.js';

function paintStatus(c: Palette, status: SagaStatus): string {
  if (status === 'completed') return c.green(status);
  if (status === 'failed') return c.red(status);
  if (status === 'running') return status;
  return c.yellow(status);
}

function parseStatus(value: string): SagaStatus {
  if (!(SAGA_STATUSES as readonly string[]).includes(value)) throw usageError(`--status must be one of ${SAGA_STATUSES.join(', ')}, got ${JSON.stringify(value)}`);
  return value as SagaStatus;
}

export function registerSagas(program: Command, cli: Cli): void {
  const sagas = program
    .command('sagas')
    .description('sagas: list them by status, or show one saga\'s step timeline')
    .addHelpText(
      'after',
      `
Examples:
  $ eventuali sagas list --status compensated
  $ eventuali sagas show 0192f4c8-7d1e-7b2a-9c3e-5f6a7b8c9d0e`,
    );

  sagas
    .command('list')
    .description('sagas in id order, with status, steps and failure reason')
    .option('--status <status>', `only sagas with this status (${SAGA_STATUSES.join(', ')})`, parseStatus)
    .option('--after <sagaId>', 'the page after this saga id')
    .option('--limit <n>', 'sagas per page', parseCount('--limit'), 50)
    .option('--json', 'print JSON')
    .addHelpText('after', '\nExample:\n  $ eventuali sagas list --status failed --json')
    .action(async (options: { status?: SagaStatus; after?: string; limit: number; json?: boolean }, command: Command) => {
      await cli.withStore(command, async (store) => {
        const page = await listSagas(store, { status: options.status, after: options.after, limit: options.limit });
        if (options.json) return cli.printJson(page);
        const c = cli.colors;
        cli.table(
          ['SAGA', 'NAME', 'STATUS', 'STEPS DONE', 'COMPENSATED', 'FAILED STEP', 'REASON', 'STARTED'],
          page.map((s: SagaState) => [
            cell(s.sagaId, 40),
            cell(s.name, 30),
            paintStatus(c, s.status),
            cell(s.stepsCompleted.join(', ') || '-', 40),
            cell(s.stepsCompensated.join(', ') || '-', 40),
            cell(s.failedStep ?? '-', 30),
            cell(s.failureReason ?? '-', 50),
            c.dim(s.startedAt.toISOString()),
          ]),
          '(no sagas)',
        );
      });
    });

  sagas
    .command('show')
    .description("one saga's state and its timeline: steps completed, failures, compensations")
    .argument('<sagaId>', 'the saga id')
    .option('--json', 'print JSON: { state, timeline }')
    .addHelpText('after', '\nExits 1 when no saga has this id.\n\nExample:\n  $ eventuali sagas show order-42-saga')
    .action(async (sagaId: string, options: { json?: boolean }, command: Command) => {
      await cli.withStore(command, async (store) => {
        const details = await sagaDetails(store, sagaId);
        if (!details) throw new CliError(`no saga ${JSON.stringify(sagaId)}`);
        if (options.json) return cli.printJson(details);
        const { state, timeline } = details;
        const c = cli.colors;
        cli.fields([
          ['saga', state.sagaId],
          ['name', state.name],
          ['status', paintStatus(c, state.status)],
          ['correlation', state.correlationId],
          ['started', state.startedAt.toISOString()],
          ['ended', state.endedAt?.toISOString() ?? '-'],
          ...(state.failureReason === null ? [] : ([['failure', cell(`${state.failedStep ?? '?'}: ${state.failureReason}`, 200)]] as const)),
        ]);
        cli.print('');
        cli.table(['#', 'TIME', 'EVENT', 'STEP', 'DETAIL'], timeline.map((e) => timelineRow(c, e)));
      });
    });
}

function timelineRow(c: Palette, e: SagaTimelineEntry): string[] {
  const kind =
    e.kind === 'step-failed' || e.kind === 'failed'
      ? c.red(e.kind)
      : e.kind.startsWith('compensat') || e.kind === 'step-compensated'
        ? c.yellow(e.kind)
        : e.kind === 'completed' || e.kind === 'step-completed'
          ? c.green(e.kind)
          : e.kind;
  const detail = [e.detail, e.attempts === null ? null : `after ${e.attempts} attempt(s)`].filter((d) => d !== null).join(' ');
  return [String(e.version), c.dim(e.at.toISOString()), kind, cell(e.step ?? '', 30), cell(detail, 80)];
}
