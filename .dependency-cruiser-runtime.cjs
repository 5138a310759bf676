// Run-time cycles between modules' index files (`npm run check:deps`). Type-only imports vanish when compiled, so they
// are left out here: otherwise a cycle through a type import could hide a run-time one (one cycle is reported per
// dependency).
const main = require('./.dependency-cruiser.cjs');

module.exports = {
  forbidden: [
    {
      name: 'index-cycle',
      comment: "Modules' index files form no run-time cycle: ESM would hand one of them half-initialised bindings.",
      severity: 'error',
      from: { path: '^server/src/modules/[^/]+/index\\.ts$' },
      to: { circular: true },
    },
  ],
  options: { ...main.options, tsPreCompilationDeps: false },
};
