// `tandem export`, `tandem import` and `tandem ingest`: getting data in and out (docs/data-formats.md).
import type { Command } from 'commander';
import { lazyAction, repeated, withJson } from '../command-kit.js';
import type * as run from './data.run.js';

// The work is in data.run.ts, loaded only when one of these commands runs.
const load = () => import('./data.run.js');

export function registerDataCommands(program: Command): void {
  withJson(program.command('export'))
    .description(
      'write everything (or what changed --since) as JSON lines: customers, orders, agents, items with their timelines, escalations, surveys',
    )
    .option('--format <format>', 'jsonl (the only export format)', 'jsonl')
    .option('--since <when>', 'only items changed since then (ISO date or 7d), with orders, escalations and surveys from then on')
    .option('-o, --output <file>', 'write to a file instead of standard output')
    .action(lazyAction(load, (m, deps, o: run.ExportOptions) => m.runExport(o, deps)));

  withJson(program.command('import'))
    .description(
      'import a Tandem JSONL export, a helpdesk CSV export, .eml files, an mbox mailbox, or shop orders, survey answers and conversations from CSV (docs/data-formats.md)',
    )
    .argument('<files...>', 'files to import')
    .option(
      '--format <format>',
      'jsonl | csv | eml | mbox | orders | surveys | csv-messages (default: from the file name; the last three are CSV files named with --format; "CSV formats" below means csv and these three)',
    )
    .option('--dry-run', 'check everything and show what would happen; write nothing')
    .option('--skip-invalid', 'import the good records and list the bad ones (default: a bad record refuses the whole file)')
    .option('--no-progress', 'no progress bar on a terminal')
    .option(
      '--map <field=Column>',
      'CSV formats: read a field from this column (repeatable), e.g. --map subject=Title; --map status= switches a field off',
      repeated,
    )
    .option('--status-map <theirs=ours>', 'CSV: map a status, e.g. --status-map "On-hold=pending" (repeatable)', repeated)
    .option('--priority-map <theirs=ours>', 'CSV: map a priority, e.g. --priority-map "P1=urgent" (repeatable)', repeated)
    .option('--role <role>', 'csv, csv-messages and email: role of the new items, service | support (default support)')
    .option('--date-format <format>', 'CSV formats: date-fns format of the date columns, e.g. "dd-MM-yyyy HH:mm" (default: detected)')
    .option('--id-prefix <text>', 'csv, surveys, csv-messages: put before every external id, e.g. zendesk:')
    .option('--delimiter <char>', 'CSV formats: field delimiter (default: detected: , ; or tab)')
    .option(
      '--auto-replies <what>',
      'email: skip | flag | import bounces and auto-replies (default flag: imported, tagged, never reopening an item)',
    )
    .option(
      '--encoding <name>',
      "CSV formats: the file's text encoding, e.g. windows-1252, latin1, utf-16le (default UTF-8; a file that is not is refused with a suggestion)",
    )
    .option('--customer <email>', 'CSV: the customer of rows that name no requester (default: one "Unknown requester")')
    .option('--inspect', 'CSV formats: show which column feeds which field, with a sample row; write nothing')
    .option('--kind <scale>', 'surveys: csat (1-5) | nps (0-10)')
    .option('--currency <code>', 'orders: the currency of every order when the file has no currency column, e.g. EUR')
    .option('--agent-author <value>', "csv-messages: an author who is an agent (the company's own account), repeatable", repeated)
    .action(lazyAction(load, (m, deps, files: string[], o: run.ImportFlags) => m.runImportCommand({ ...o, files }, deps)));

  withJson(program.command('ingest'))
    .description('read JSON lines on standard input, one item or message per line (shapes of `item add --json -`), and report each line')
    .option('--dry-run', 'check every line and report; write nothing')
    .option('--skip-invalid', 'write the good lines even if some are bad (default: one bad line writes nothing)')
    .action(lazyAction(load, (m, deps, o: run.IngestOptions) => m.runIngest(o, deps)));
}
