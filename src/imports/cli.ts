import fs from 'node:fs';
import type { Writable } from 'node:stream';
import { badRequest } from '../shared/problem.js';
import type { ImportReport, LineError } from './schema.js';
import { splitLines } from './lines.js';
import type { TicketImportService } from './service.js';

/** One failed line as the command line prints it: `line 4 (zd-1004): messages.2.at: …; organization: …`. */
export function formatLineError(error: LineError): string {
  const id = error.externalId ? ` (${error.externalId})` : '';
  return `line ${error.line}${id}: ${error.errors.map((e) => `${e.field}: ${e.message}`).join('; ')}`;
}

/**
 * `accord import FILE.jsonl [--as EMAIL]`: imports the file's tickets as the named admin (default:
 * the desk's first), printing each failed line to stderr as it is met and a summary to stdout.
 * The file is read as a stream, a line at a time. A command line that cannot run (no such file, no
 * admin) is a 400 problem, which the CLI turns into exit code 2; the caller fails the command when
 * the report counts a failed line.
 */
export async function importTicketsFile(
  service: TicketImportService,
  file: string,
  as: string | undefined,
  out: { stdout: Writable; stderr: Writable } = { stdout: process.stdout, stderr: process.stderr },
): Promise<ImportReport> {
  if (!fs.existsSync(file) || !fs.statSync(file).isFile()) throw badRequest(`${file} is not a file`);
  const actor = await service.importer(as);
  const { lines } = splitLines(fs.createReadStream(file));
  const report = await service.importLines(actor, lines, service.now(), {
    onError: (error) => out.stderr.write(`${formatLineError(error)}\n`),
  });
  out.stdout.write(
    `${file}: imported ${report.imported}, unchanged ${report.unchanged}, failed ${report.failed}\n`,
  );
  return report;
}
