// A throwaway PostgreSQL server on a loopback port, run as a non-root user (the server refuses root).
// Shared by the test runner (fsync off: tests need no durability) and the benchmarks (durable by default).
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

const isRoot = process.getuid?.() === 0;

export function sh(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', ...opts });
  if (r.status !== 0 && !opts.allowFail) throw new Error(`${cmd} ${args.join(' ')} exited with ${r.status}`);
  return r.status ?? 1;
}

export function aptInstall(...packages) {
  if (!isRoot) throw new Error(`please install: ${packages.join(' ')}`);
  sh('apt-get', ['update', '-qq']);
  sh('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...packages], { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
}

export function pgBin() {
  const base = '/usr/lib/postgresql';
  const find = () =>
    fs.existsSync(base)
      ? fs.readdirSync(base).map((v) => path.join(base, v, 'bin')).filter((d) => fs.existsSync(path.join(d, 'initdb'))).sort().pop()
      : undefined;
  let bin = find();
  if (!bin) {
    aptInstall('postgresql');
    bin = find();
  }
  if (!bin) throw new Error('no PostgreSQL binaries found');
  return bin;
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

/**
 * Starts PostgreSQL in `dir` (created, must be empty). `durable: false` turns fsync off (tests only).
 * `settings` are extra `-c name=value` server options. Returns the URL and stop().
 */
export async function startPostgres({ dir, durable = true, settings = {}, quiet = false }) {
  const bin = pgBin();
  fs.mkdirSync(dir, { recursive: true });
  fs.chmodSync(dir, 0o755);
  let asUser = [];
  if (isRoot) {
    const user = spawnSync('id', ['-u', 'postgres']).status === 0 ? 'postgres' : 'zhili-pg';
    if (user === 'zhili-pg' && spawnSync('id', ['-u', user]).status !== 0) sh('useradd', ['--system', '--no-create-home', user]);
    execFileSync('chown', ['-R', `${user}:`, dir]);
    asUser = ['runuser', '-u', user, '--'];
  }
  const stdio = quiet ? ['ignore', 'ignore', 'inherit'] : 'inherit';
  const run = (cmd, args) => (asUser.length ? sh(asUser[0], [...asUser.slice(1), path.join(bin, cmd), ...args], { stdio }) : sh(path.join(bin, cmd), args, { stdio }));
  const data = path.join(dir, 'data');
  run('initdb', ['-D', data, '-U', 'zhili', '-A', 'trust', '-E', 'UTF8', '--locale=C.UTF-8', ...(durable ? [] : ['--no-sync'])]);
  const port = await freePort();
  const options = { listen_addresses: '127.0.0.1', max_connections: 200, ...(durable ? {} : { fsync: 'off' }), ...settings };
  const o = [`-p ${port}`, `-k ${dir}`, ...Object.entries(options).map(([k, v]) => `-c ${k}=${v}`)].join(' ');
  run('pg_ctl', ['-D', data, '-l', path.join(dir, 'log'), '-w', '-o', o, 'start']);
  let stopped = false;
  return {
    url: `postgres://zhili@127.0.0.1:${port}/postgres`,
    port,
    dataDir: data,
    /** restarts the server (e.g. after a crash of its clients; the data survives) */
    restart: () => run('pg_ctl', ['-D', data, '-l', path.join(dir, 'log'), '-w', '-o', o, 'restart']),
    stop: () => {
      if (stopped) return;
      stopped = true;
      run('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
    },
  };
}
