// Routing: point → grid lookups per second over a generated city of 100,000 grids (10,000 with --quick),
// against a brute-force scan; the index rebuild after a grid edit, in memory and through the GridLocator
// from PostgreSQL; and the PostGIS set join beside it when postgresql-15-postgis-3 can be installed.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { type Kysely, sql } from 'kysely';
import { aptInstall } from '../scripts/lib/postgres.mjs';
import { openPostgres } from '../server/src/db/database.js';
import { migrateToLatest } from '../server/src/db/migrate.js';
import type { Database } from '../server/src/db/schema.js';
import { bboxOf, placePoint, type PointPlacement } from '../server/src/modules/grids/geometry.js';
import { GridLocator } from '../server/src/modules/grids/locator.js';
import { lockGrid, updateGrid } from '../server/src/modules/grids/repository.js';
import { GridIndex, type IndexedGrid } from '../server/src/modules/grids/spatial-index.js';
import { upsertJurisdictions } from '../server/src/modules/jurisdictions/repository.js';
import { boundaryPoints, generateCity, randomPoints } from './lib/city-grids.js';
import { durablePostgres, machine, printTable, quick, round, tempDir, writeResults } from './lib/harness.js';

const GRIDS = quick ? 10_000 : 100_000;
const POINTS = quick ? 200_000 : 2_000_000;
const BRUTE_POINTS = quick ? 100 : 200;
const PG_POINTS = quick ? 10_000 : 100_000;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const childArg = process.argv.find((a) => a.startsWith('--locator-child='));
if (childArg) {
  await locatorChild(childArg.slice('--locator-child='.length), process.argv[process.argv.indexOf(childArg) + 1]!);
  process.exit(0);
}

console.log(`machine: ${JSON.stringify(machine())}`);
let t = performance.now();
const city = generateCity(GRIDS);
const grids: IndexedGrid[] = city.grids.map((g, k) => ({ id: k + 1, code: g.code, kind: g.kind, communityCode: g.communityCode, geometry: g.geometry }));
const dedicated = grids.filter((g) => g.kind === 'dedicated').length;
console.log(
  `city: ${grids.length} grids (${dedicated} dedicated, ${city.holes} with a hole), ${city.vertices.min}–${city.vertices.max} vertices (mean ${city.vertices.mean}), generated in ${Math.round(performance.now() - t)} ms`,
);

// ── rebuild in memory ──
const buildTimes: number[] = [];
let index = new GridIndex(grids);
for (let k = 0; k < 5; k++) {
  t = performance.now();
  index = new GridIndex(grids);
  buildTimes.push(performance.now() - t);
}
const rebuildMs = round(median(buildTimes), 1);

// ── lookups ──
const points = randomPoints(city, POINTS, 7);
const edgePoints = boundaryPoints(city, Math.min(POINTS, 200_000), 11);
function lookAll(pts: Float64Array): { seconds: number; found: number } {
  let found = 0;
  const t0 = performance.now();
  for (let k = 0; k < pts.length; k += 2) if (index.locate(pts[k]!, pts[k + 1]!) !== null) found++;
  return { seconds: (performance.now() - t0) / 1000, found };
}
lookAll(points.subarray(0, Math.min(points.length, 200_000)));
const rounds = [lookAll(points), lookAll(points), lookAll(points)];
const lookupsPerSec = Math.round(POINTS / median(rounds.map((r) => r.seconds)));
const foundShare = rounds[0]!.found / POINTS;
const edgeRounds = [lookAll(edgePoints), lookAll(edgePoints), lookAll(edgePoints)];
const boundaryLookupsPerSec = Math.round(edgePoints.length / 2 / median(edgeRounds.map((r) => r.seconds)));

// ── brute force: the same exact test over every grid, and the proof that the index agrees with it ──
const rank = (p: PointPlacement) => (p === 'inside' ? 2 : p === 'boundary' ? 1 : 0);
function bruteForce(x: number, y: number): IndexedGrid | null {
  let best: IndexedGrid | null = null;
  let bestPlace: PointPlacement = 'outside';
  for (const g of grids) {
    const place = placePoint(x, y, g.geometry.coordinates);
    if (place === 'outside') continue;
    // as in the index, a grid whose box does not hold the point is not a candidate (placePoint's 1e-12 reaches past it)
    const [x0, y0, x1, y1] = bboxOf(g.geometry);
    if (x < x0 || y < y0 || x > x1 || y > y1) continue;
    if (best === null || (g.kind !== best.kind ? g.kind === 'dedicated' : place !== bestPlace ? rank(place) > rank(bestPlace) : g.code < best.code)) {
      best = g;
      bestPlace = place;
    }
  }
  return best;
}
let mismatches = 0;
t = performance.now();
for (let k = 0; k < BRUTE_POINTS; k++) {
  const x = points[2 * k]!;
  const y = points[2 * k + 1]!;
  if (bruteForce(x, y)?.code !== index.locate(x, y)?.code) mismatches++;
}
const bruteForcePerSec = round(BRUTE_POINTS / ((performance.now() - t) / 1000), 1);
for (let k = 0; k < BRUTE_POINTS; k++) {
  const x = edgePoints[2 * k]!;
  const y = edgePoints[2 * k + 1]!;
  if (bruteForce(x, y)?.code !== index.locate(x, y)?.code) mismatches++;
}
if (mismatches > 0) console.error(`the index disagrees with the brute-force scan on ${mismatches} of ${2 * BRUTE_POINTS} points`);

// ── through the GridLocator from PostgreSQL, and PostGIS beside it ──
const pgInfo = await databaseFigures();

const result = {
  grids: grids.length,
  dedicatedGrids: dedicated,
  gridsWithHole: city.holes,
  verticesPerPolygon: city.vertices,
  points: POINTS,
  foundShare: round(foundShare, 3),
  lookupsPerSec,
  boundaryLookupsPerSec,
  bruteForcePoints: BRUTE_POINTS,
  bruteForcePerSec,
  speedup: Math.round(lookupsPerSec / bruteForcePerSec),
  mismatches,
  rebuildMs,
  ...pgInfo,
};
printTable(`Routing over ${grids.length.toLocaleString('en-US')} grids${quick ? ' (quick)' : ''}`, [
  { figure: 'lookups/s (GridIndex, random points)', value: lookupsPerSec, note: `${Math.round(foundShare * 100)}% inside a grid` },
  { figure: 'lookups/s (GridIndex, on vertices and edges)', value: boundaryLookupsPerSec, note: '' },
  { figure: 'lookups/s (brute-force scan, baseline)', value: bruteForcePerSec, note: `ratio ${result.speedup.toLocaleString('en-US')}×` },
  { figure: 'answers differing from the brute-force scan', value: mismatches, note: `of ${2 * BRUTE_POINTS}` },
  { figure: 'rebuild in memory, ms', value: rebuildMs, note: 'new GridIndex from all grids' },
  { figure: 'GridLocator first load from PostgreSQL, ms', value: pgInfo.dbFirstLoadMs, note: '' },
  { figure: 'GridLocator rebuild after a grid edit, ms', value: pgInfo.dbRebuildMs, note: '' },
  { figure: 'GridLocator freshness check, ms', value: pgInfo.locatorCheckMs, note: 'per call, nothing changed' },
  { figure: 'PostGIS ST_Contains set join, lookups/s', value: pgInfo.postgisSetJoinPerSec, note: pgInfo.postgisNote ?? `${PG_POINTS} points` },
  { figure: 'PostGIS with the tie rules, lookups/s', value: pgInfo.postgisPickPerSec, note: pgInfo.postgisNote ?? 'DISTINCT ON per point' },
]);
writeResults('routing', result);
if (mismatches > 0) process.exitCode = 1;

async function databaseFigures() {
  const pg = await durablePostgres('routing');
  const handle = await openPostgres(pg.url, 2);
  const db = handle.db;
  try {
    await migrateToLatest(db);
    const t0 = performance.now();
    await upsertJurisdictions(db, city.jurisdictions);
    for (let k = 0; k < city.grids.length; k += 10_000) {
      const chunk = city.grids.slice(k, k + 10_000).map((g) => {
        const [minLng, minLat, maxLng, maxLat] = bboxOf(g.geometry);
        return { code: g.code, name: g.name, kind: g.kind, category: g.category, community_code: g.communityCode, geometry: g.geometry, min_lng: minLng, min_lat: minLat, max_lng: maxLng, max_lat: maxLat };
      });
      await sql`INSERT INTO grid (code, name, kind, category, community_code, geometry, min_lng, min_lat, max_lng, max_lat)
        SELECT code, name, kind, category, community_code, geometry, min_lng, min_lat, max_lng, max_lat
        FROM jsonb_to_recordset(${JSON.stringify(chunk)}::jsonb) AS r(code text, name text, kind text, category text, community_code text,
          geometry jsonb, min_lng float8, min_lat float8, max_lng float8, max_lat float8)`.execute(db);
    }
    await sql`INSERT INTO grid_version (grid_id, version, name, kind, category, community_code, geometry, status, reason)
      SELECT id, 1, name, kind, category, community_code, geometry, status, 'routing benchmark' FROM grid ORDER BY id`.execute(db);
    await sql`ANALYZE`.execute(db);
    const dbLoadMs = Math.round(performance.now() - t0);

    // the GridLocator measured in a process of its own, like a server's, not beside this one's copy of the city
    const pointsFile = path.join(tempDir('routing-points'), 'points.f64');
    fs.writeFileSync(pointsFile, points.subarray(0, 20_000));
    const child = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', import.meta.filename, `--locator-child=${pg.url}`, pointsFile], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, TZ: 'Asia/Shanghai' },
    });
    fs.rmSync(path.dirname(pointsFile), { recursive: true, force: true });
    if (child.status !== 0) throw new Error(`the GridLocator measurement exited with ${child.status}`);
    const { codes, ...locatorFigures } = JSON.parse(child.stdout.trim().split('\n').pop()!) as LocatorFigures & { codes: Array<string | null> };
    // the index from the database answers like the one built in memory
    let dbMismatches = 0;
    for (let k = 0; k < codes.length; k++) if (codes[k] !== (index.locate(points[2 * k]!, points[2 * k + 1]!)?.code ?? null)) dbMismatches++;
    if (dbMismatches > 0) {
      console.error(`the index loaded from PostgreSQL disagrees on ${dbMismatches} points`);
      process.exitCode = 1;
    }
    return { dbLoadMs, ...locatorFigures, ...(await postgis(db)) };
  } finally {
    await handle.close();
    pg.stop();
  }
}

async function postgis(db: Kysely<Database>) {
  const none = (postgisNote: string) => ({ postgisSetJoinPerSec: null, postgisPickPerSec: null, postgisPoints: null, postgisVersion: null, postgisPlan: null, postgisNote });
  if (!fs.existsSync('/usr/share/postgresql/15/extension/postgis.control')) {
    if (process.getuid?.() !== 0) return none('postgresql-15-postgis-3 is not installed and the benchmark is not root');
    try {
      aptInstall('postgresql-15-postgis-3');
    } catch (err) {
      return none(`apt-get install postgresql-15-postgis-3 failed: ${(err as Error).message}`);
    }
  }
  try {
    await sql`CREATE EXTENSION IF NOT EXISTS postgis`.execute(db);
  } catch (err) {
    return none(`CREATE EXTENSION postgis failed: ${(err as Error).message}`);
  }
  const version = (await sql<{ v: string }>`SELECT postgis_lib_version() AS v`.execute(db)).rows[0]!.v;
  await sql`CREATE TABLE bench_grid AS SELECT id, code, kind, ST_SetSRID(ST_GeomFromGeoJSON(geometry::text), 4326) AS geom FROM grid`.execute(db);
  await sql`CREATE INDEX bench_grid_geom ON bench_grid USING gist (geom)`.execute(db);
  const xs: number[] = [];
  const ys: number[] = [];
  for (let k = 0; k < PG_POINTS; k++) {
    xs.push(points[2 * k]!);
    ys.push(points[2 * k + 1]!);
  }
  await sql`CREATE TABLE bench_point AS SELECT n AS id, ST_SetSRID(ST_MakePoint(x, y), 4326) AS geom
    FROM unnest(${xs}::float8[], ${ys}::float8[]) WITH ORDINALITY AS u(x, y, n)`.execute(db);
  // both sides indexed, so the planner may also run the polygons outside, each tested against the points in its box
  await sql`CREATE INDEX bench_point_geom ON bench_point USING gist (geom)`.execute(db);
  await sql`ANALYZE bench_grid`.execute(db);
  await sql`ANALYZE bench_point`.execute(db);
  const timeQuery = async (query: ReturnType<typeof sql>) => {
    await query.execute(db);
    const times: number[] = [];
    for (let k = 0; k < 3; k++) {
      const t0 = performance.now();
      await query.execute(db);
      times.push(performance.now() - t0);
    }
    return Math.round(PG_POINTS / (median(times) / 1000));
  };
  const setJoin = 'SELECT count(*) FROM bench_point p JOIN bench_grid g ON ST_Contains(g.geom, p.geom)';
  const postgisSetJoinPerSec = await timeQuery(sql.raw(setJoin));
  // what the time goes to: the plan's nodes with their loops and total time
  type PlanNode = { 'Node Type': string; 'Index Name'?: string; 'Actual Loops': number; 'Actual Total Time': number; Plans?: PlanNode[] };
  const explained = (await sql.raw<{ 'QUERY PLAN': Array<{ Plan: PlanNode }> }>(`EXPLAIN (ANALYZE, FORMAT JSON) ${setJoin}`).execute(db)).rows[0]!['QUERY PLAN'][0]!.Plan;
  const postgisPlan: string[] = [];
  const walk = (node: PlanNode, depth: number) => {
    postgisPlan.push(`${'  '.repeat(depth)}${node['Node Type']}${node['Index Name'] ? ` on ${node['Index Name']}` : ''}: ${node['Actual Loops']} loops, ${round(node['Actual Total Time'], 3)} ms each`);
    for (const child of node.Plans ?? []) walk(child, depth + 1);
  };
  walk(explained, 0);
  console.log(`PostGIS set join plan:\n  ${postgisPlan.join('\n  ')}`);
  const pick = sql`SELECT DISTINCT ON (p.id) p.id, g.code FROM bench_point p JOIN bench_grid g ON ST_Intersects(g.geom, p.geom)
    ORDER BY p.id, g.kind = 'dedicated' DESC, ST_Contains(g.geom, p.geom) DESC, g.code`;
  const postgisPickPerSec = await timeQuery(pick);
  // the same answers as the index (PostGIS has no tolerance on edges; random points are never on one)
  const rows = (await pick.execute(db)).rows as Array<{ id: number; code: string }>;
  const codeAt = new Map(rows.map((r) => [Number(r.id), r.code]));
  let disagree = 0;
  for (let k = 0; k < PG_POINTS; k++) if ((codeAt.get(k + 1) ?? null) !== (index.locate(points[2 * k]!, points[2 * k + 1]!)?.code ?? null)) disagree++;
  return { postgisSetJoinPerSec, postgisPickPerSec, postgisPoints: PG_POINTS, postgisVersion: version, postgisDisagreements: disagree, postgisPlan, postgisNote: null as string | null };
}

interface LocatorFigures {
  dbFirstLoadMs: number;
  dbRebuildMs: number;
  locatorCheckMs: number;
  locatorHeapMB: number;
}

/** In its own process: the GridLocator's first load, its rebuild after each of 5 grid edits, its freshness check. */
async function locatorChild(url: string, pointsFile: string): Promise<void> {
  const handle = await openPostgres(url, 2);
  const db = handle.db;
  const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
  gc();
  const heapBefore = process.memoryUsage();
  const locator = new GridLocator();
  let t0 = performance.now();
  await locator.current(db);
  const dbFirstLoadMs = Math.round(performance.now() - t0);
  gc();
  const heapAfter = process.memoryUsage();
  const locatorHeapMB = Math.round((heapAfter.heapUsed + heapAfter.arrayBuffers - heapBefore.heapUsed - heapBefore.arrayBuffers) / 2 ** 20);
  // a grid edit as the product files it: the row replaced, a new grid_version row; then the next lookup rebuilds
  const rebuilds: number[] = [];
  const ids = (await sql<{ id: number }>`SELECT id FROM grid ORDER BY id LIMIT 5`.execute(db)).rows;
  for (const { id } of ids) {
    await db.transaction().execute(async (trx) => {
      const g = (await lockGrid(trx, id))!;
      const fields = { name: `${g.name}（调整）`, kind: g.kind, category: g.category, communityCode: g.community_code, geometry: g.geometry, status: g.status };
      await updateGrid(trx, id, g.version + 1, fields, { reason: 'routing benchmark edit', filingNumber: null, filedBy: null });
    });
    t0 = performance.now();
    await locator.current(db);
    rebuilds.push(performance.now() - t0);
  }
  const checks: number[] = [];
  for (let k = 0; k < 50; k++) {
    t0 = performance.now();
    await locator.current(db);
    checks.push(performance.now() - t0);
  }
  const index = await locator.current(db);
  const buf = fs.readFileSync(pointsFile);
  const pts = new Float64Array(buf.buffer, buf.byteOffset, buf.byteLength / 8);
  const codes: Array<string | null> = [];
  for (let k = 0; k < pts.length; k += 2) codes.push(index.locate(pts[k]!, pts[k + 1]!)?.code ?? null);
  await handle.close();
  const figures: LocatorFigures = { dbFirstLoadMs, dbRebuildMs: Math.round(median(rebuilds)), locatorCheckMs: round(median(checks), 2), locatorHeapMB };
  console.log(JSON.stringify({ ...figures, codes }));
}
