// Module walls (docs/ARCHITECTURE.md, "Inside a module"): `npm run check:deps`, also a stage of `npm test`.
// Exceptions and the temporary PENDING_MERGE list live in scripts/walls.cjs, shared with scripts/check-tables.mjs.
// Cycles are checked by .dependency-cruiser-runtime.cjs, over run-time imports only.
const { EXCEPTIONS, PENDING_MERGE } = require('./scripts/walls.cjs');

const MODULES = '^server/src/modules';
const INDEX = `${MODULES}/[^/]+/index\\.ts$`;
const allowed = [...EXCEPTIONS.imports, ...PENDING_MERGE.filter((e) => e.check === 'imports')];

/**
 * A forbidden rule, minus the allowed (from, to) pairs: the rule itself skips every excepted `from`, and each
 * excepted `from` gets a copy of the rule that also skips its allowed `to`s.
 */
function withExceptions(rule) {
  const fromPaths = [...new Set(allowed.map((e) => e.from))];
  const asList = (p) => (p === undefined ? [] : Array.isArray(p) ? p : [p]);
  const copies = fromPaths.map((from) => ({
    ...rule,
    name: rule.name,
    // the excepted path's groups made non-capturing, so that `$1` in the rule still names the rule's own group
    from: { ...rule.from, path: `(?=${from.replace(/\((?!\?)/g, '(?:')})${rule.from.path}` },
    to: { ...rule.to, pathNot: [...asList(rule.to.pathNot), ...allowed.filter((e) => e.from === from).map((e) => e.to)] },
  }));
  return [{ ...rule, from: { ...rule.from, pathNot: [...asList(rule.from.pathNot), ...fromPaths] } }, ...copies];
}

module.exports = {
  forbidden: [
    ...withExceptions({
      name: 'module-internals',
      comment: 'Another module is used only through its index.ts (re-exports only).',
      severity: 'error',
      from: { path: `${MODULES}/([^/]+)/` },
      to: { path: `${MODULES}/[^/]+/`, pathNot: [`${MODULES}/$1/`, INDEX] },
    }),
    ...withExceptions({
      name: 'module-internals-from-outside',
      comment: 'Code outside the modules (http, jobs, cli, db, demo) uses a module only through its index.ts.',
      severity: 'error',
      from: { path: '^server/src/', pathNot: [`${MODULES}/`] },
      to: { path: `${MODULES}/[^/]+/`, pathNot: INDEX },
    }),
    {
      name: 'route-without-kysely',
      comment: 'A route file validates, authorises and calls its module: no Kysely (scripts/check-tables.mjs also refuses SQL in it).',
      severity: 'error',
      // PENDING_MERGE (scripts/walls.cjs): the accounts list's query is still in auth/user-routes.ts
      from: { path: `${MODULES}/[^/]+/(routes|[^/]+-routes?)\\.ts$`, pathNot: `${MODULES}/auth/user-routes\\.ts$` },
      to: { path: '(^|/)node_modules/kysely/' },
    },
    {
      name: 'migrations-frozen',
      comment: 'Migrations never import application code.',
      severity: 'error',
      from: { path: '^server/src/db/migrations/' },
      to: { path: '^server/src/', pathNot: '^server/src/db/migrations/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '\\.test\\.ts$' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'], extensions: ['.ts', '.js'] },
  },
};
