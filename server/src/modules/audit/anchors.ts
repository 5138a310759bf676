import fs from 'node:fs';
import type { Seal } from './chain.js';

/*
 * Copies of each seal kept outside the database (docs/SECURITY.md, "Audit log"): a line in the server's log stream,
 * which level 3 ships to a log server anyway, and optionally a line in a file (ZHILI_AUDIT_SEAL_FILE), which
 * `audit-verify` and the auditor's verification read back. Whoever can rewrite both audit tables still cannot
 * rewrite these.
 */

export interface SealLogger {
  info(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/** Hands each seal to the log stream and, when configured, appends it to the seal file (mode 0600). */
export function sealAnchor(options: { logger: SealLogger; file?: string | undefined }): (seal: Seal) => void {
  return (seal) => {
    options.logger.info({ auditSeal: seal }, 'audit log sealed');
    if (!options.file) return;
    try {
      fs.appendFileSync(options.file, `${JSON.stringify(seal)}\n`, { mode: 0o600 });
    } catch (err) {
      options.logger.error({ err, file: options.file }, 'could not append the audit seal to the seal file');
    }
  };
}

/**
 * The seals of a seal file, or of lines copied from the log stream (`{"auditSeal": {…}}`); null when no file is
 * configured or it does not exist yet. A line that is not a seal is reported (`damaged`), never skipped.
 */
export function readSealFile(file: string | undefined): { seals: Seal[] } | { damaged: string } | null {
  if (!file || !fs.existsSync(file)) return null;
  const seals: Seal[] = [];
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  for (const [i, line] of lines.entries()) {
    if (!line.trim()) continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      return { damaged: `line ${i + 1} is not JSON` };
    }
    const seal = ((value as { auditSeal?: unknown } | null)?.auditSeal ?? value) as Record<string, unknown> | null;
    const ok =
      typeof seal === 'object' &&
      seal !== null &&
      ['no', 'lastId', 'lastSeq', 'count'].every((k) => Number.isInteger(seal[k])) &&
      ['at', 'headHash', 'prevSealHash', 'sealHash'].every((k) => typeof seal[k] === 'string');
    if (!ok) return { damaged: `line ${i + 1} is not a seal` };
    seals.push(seal as unknown as Seal);
  }
  return { seals };
}
