#!/usr/bin/env node
// The walls dependency-cruiser cannot see (docs/ARCHITECTURE.md, "Inside a module"):
//  - a module names in its queries only the tables it owns (scripts/walls.cjs, TABLE_OWNERS);
//  - a route file (routes.ts, *-routes.ts, *-route.ts) runs no SQL: no query builder, no sql`…`;
//  - each module has an index.ts holding re-exports only.
// Exceptions and the temporary PENDING_MERGE list are in scripts/walls.cjs. Prints "N passed, N failed".
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const root = path.resolve(import.meta.dirname, '..');
const { TABLE_OWNERS, EXCEPTIONS, PENDING_MERGE } = createRequire(import.meta.url)('./walls.cjs');
const modulesDir = path.join(root, 'server/src/modules');
const rel = (file) => path.relative(root, file).split(path.sep).join('/');
const read = (file) => fs.readFileSync(file, 'utf8');

/** Source with comments blanked (strings, templates and line numbers kept). */
export function stripComments(src) {
  let out = '';
  let i = 0;
  const braces = [];
  let prev = '';
  while (i < src.length) {
    const c = src[i];
    const n = src[i + 1];
    if (c === '/' && n === '/') {
      while (i < src.length && src[i] !== '\n') i++;
      continue;
    }
    if (c === '/' && n === '*') {
      const end = src.indexOf('*/', i + 2);
      const stop = end < 0 ? src.length : end + 2;
      out += src.slice(i, stop).replace(/[^\n]/g, ' ');
      i = stop;
      continue;
    }
    if (c === '/' && /[(,=:[!&|?{};]|^$/.test(prev)) {
      // a regular expression literal
      let j = i + 1;
      let inClass = false;
      while (j < src.length && src[j] !== '\n') {
        if (src[j] === '\\') j++;
        else if (src[j] === '[') inClass = true;
        else if (src[j] === ']') inClass = false;
        else if (src[j] === '/' && !inClass) break;
        j++;
      }
      out += src.slice(i, j + 1);
      i = j + 1;
      prev = '/';
      continue;
    }
    if (c === "'" || c === '"') {
      let j = i + 1;
      while (j < src.length && src[j] !== c && src[j] !== '\n') j += src[j] === '\\' ? 2 : 1;
      out += src.slice(i, j + 1);
      i = j + 1;
      prev = c;
      continue;
    }
    if (c === '`' || (c === '}' && braces.at(-1) === 'template')) {
      if (c === '}') braces.pop();
      let j = i + 1;
      while (j < src.length && src[j] !== '`' && !(src[j] === '$' && src[j + 1] === '{')) j += src[j] === '\\' ? 2 : 1;
      if (src[j] === '$') {
        braces.push('template');
        out += src.slice(i, j + 2);
        i = j + 2;
        prev = '{';
      } else {
        out += src.slice(i, j + 1);
        i = j + 1;
        prev = '`';
      }
      continue;
    }
    if (c === '{') braces.push('code');
    if (c === '}') braces.pop();
    out += c;
    if (!/\s/.test(c)) prev = c;
    i++;
  }
  return out;
}

const owners = new Map();
const problems = [];
for (const [owner, tables] of Object.entries(TABLE_OWNERS)) {
  for (const t of tables) {
    if (owners.has(t)) problems.push(`table ${t} has two owners: ${owners.get(t)} and ${owner} (scripts/walls.cjs)`);
    owners.set(t, owner);
  }
}

function walk(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}
const moduleNames = fs.readdirSync(modulesDir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();
const sources = moduleNames.flatMap((m) => walk(path.join(modulesDir, m)).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts')).map((f) => ({ module: m, file: rel(f) })));

// The owner list is derived from the table types: every table declared, in a module's tables.ts, in db/schema.ts or
// created by a migration has one owner, and a module's tables.ts declares only tables it owns.
const declared = new Map();
for (const m of moduleNames) {
  const f = path.join(modulesDir, m, 'tables.ts');
  if (!fs.existsSync(f)) continue;
  const body = /export interface \w+Tables\s*{([^}]*)}/.exec(read(f))?.[1] ?? '';
  for (const [, t] of body.matchAll(/^\s*(\w+)\s*:/gm)) declared.set(t, m);
}
const schemaBody = /export interface Database\b[^{]*{([^}]*)}/.exec(read(path.join(root, 'server/src/db/schema.ts')))?.[1] ?? '';
for (const [, t] of schemaBody.matchAll(/^\s*(\w+)\s*:/gm)) if (!declared.has(t)) declared.set(t, null);
for (const f of walk(path.join(root, 'server/src/db/migrations'))) {
  for (const [, t] of read(f).matchAll(/CREATE TABLE (?:IF NOT EXISTS )?(\w+)/g)) if (!declared.has(t)) declared.set(t, null);
}
for (const [t, m] of declared) {
  if (!owners.has(t)) problems.push(`table ${t} has no owner: add it to TABLE_OWNERS in scripts/walls.cjs`);
  else if (m && owners.get(t) !== m) problems.push(`table ${t} is declared in modules/${m}/tables.ts but owned by ${owners.get(t)} in scripts/walls.cjs`);
}
for (const t of owners.keys()) if (!declared.has(t)) problems.push(`scripts/walls.cjs owns table ${t}, which no migration creates`);

const usedPending = new Set();
const usedException = new Set();
const pending = (check, file, what) => {
  const i = PENDING_MERGE.findIndex((e) => e.check === check && new RegExp(e.file).test(file) && (e.table === undefined || e.table === what));
  if (i >= 0) usedPending.add(i);
  return i >= 0;
};
const excepted = (file, table) => {
  const i = EXCEPTIONS.tables.findIndex((e) => new RegExp(e.file).test(file) && (!e.tables || e.tables.includes(table)));
  if (i >= 0) usedException.add(i);
  return i >= 0;
};
const lineOf = (text, index) => text.slice(0, index).split('\n').length;

// Kysely calls that name a table, and raw SQL (FROM/JOIN/INTO/UPDATE/USING followed by a known table).
const BUILDER = /\b(selectFrom|insertInto|updateTable|deleteFrom|innerJoin|leftJoin|rightJoin|fullJoin|mergeInto|using|table)\(\s*['"`]([a-z_][a-z0-9_]*)/g;
const RAW = /\b(?:FROM|JOIN|INTO|UPDATE|USING|TABLE)\s+([a-z_][a-z0-9_]*)\b/gi;
const RUNS_SQL = /\b(selectFrom|insertInto|updateTable|deleteFrom|mergeInto|replaceInto)\(|\bsql\s*(<[^`;]*>)?\s*`|\bsql\.(raw|ref|table|id|lit|join|val)\(/g;
const ROUTE_FILE = /\/(routes|[^/]+-routes?)\.ts$/;

const tableViolations = [];
const routeViolations = [];
const indexViolations = [];
for (const { module, file } of sources) {
  const text = stripComments(read(path.join(root, file)));
  {
    const seen = new Set();
    const report = (table, index) => {
      const owner = owners.get(table);
      if (!owner || owner === module || seen.has(table) || excepted(file, table)) return;
      seen.add(table);
      if (!pending('tables', file, table)) tableViolations.push(`${file}:${lineOf(text, index)} queries ${table}, owned by ${owner}`);
    };
    for (const m of text.matchAll(BUILDER)) report(m[2], m.index);
    for (const m of text.matchAll(RAW)) report(m[1], m.index);
  }
  if (ROUTE_FILE.test(file)) {
    const m = text.match(new RegExp(RUNS_SQL.source));
    if (m && !pending('routes', file)) routeViolations.push(`${file}:${lineOf(text, m.index)} runs SQL (${m[0].trim()}): move it into the module's repository`);
  }
}
for (const m of moduleNames) {
  const file = `server/src/modules/${m}/index.ts`;
  const full = path.join(root, file);
  if (!fs.existsSync(full)) {
    if (!pending('index', file)) indexViolations.push(`${file} is missing: a module exposes what others use through it`);
    continue;
  }
  const code = stripComments(read(full)).replace(/export\s+(type\s+)?(\*(\s+as\s+\w+)?|{[^}]*})\s+from\s+'[^']+';/g, '').trim();
  if (code && !pending('index', file)) indexViolations.push(`${file} holds more than re-exports: ${code.split('\n')[0].slice(0, 80)}`);
}
PENDING_MERGE.forEach((e, i) => {
  if (e.check !== 'imports' && !usedPending.has(i)) problems.push(`PENDING_MERGE entry no longer needed, remove it: ${JSON.stringify(e)}`);
});
EXCEPTIONS.tables.forEach((e, i) => {
  if (!usedException.has(i)) problems.push(`table exception no longer needed, remove it: ${e.file}`);
});

const checks = [
  ['table owners', problems],
  ['tables queried by their owner only', tableViolations],
  ['route files run no SQL', routeViolations],
  ['index.ts re-exports only', indexViolations],
];
let failed = 0;
for (const [name, list] of checks) {
  console.log(`${list.length ? '✗' : '✓'} ${name}${list.length ? ` (${list.length})` : ''}`);
  for (const p of list) console.log(`    ${p}`);
  if (list.length) failed++;
}
const pendingCount = PENDING_MERGE.length;
if (pendingCount) console.log(`  (${pendingCount} PENDING_MERGE entries in scripts/walls.cjs wait for the other branches)`);
console.log(`${checks.length - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
