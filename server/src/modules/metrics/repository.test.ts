import { DummyDriver, Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { Database } from '../../db/schema.js';
import { caseCountsQuery } from './repository.js';

const db = new Kysely<Database>({
  dialect: { createAdapter: () => new PostgresAdapter(), createDriver: () => new DummyDriver(), createIntrospector: (k) => new PostgresIntrospector(k), createQueryCompiler: () => new PostgresQueryCompiler() },
});
const base = { underPath: '990100/990102', start: new Date('2026-10-22T16:00:00Z'), end: new Date('2026-11-21T16:00:00Z'), now: new Date('2026-11-21T08:00:00Z') };
const compiled = (q: Parameters<typeof caseCountsQuery>[0]) => caseCountsQuery(q).compile(db);

describe('the metrics query', () => {
  it('counts with conditional aggregates in one statement, grouping by the local ISO week', () => {
    const { sql, parameters } = compiled({ ...base, groupBy: 'period', period: 'week' });
    const key = `to_char(date_trunc('week', c.created_at AT TIME ZONE 'Asia/Shanghai'), 'YYYY-MM-DD')`;
    expect(sql).toContain(`SELECT ${key} AS group_key`);
    expect(sql).toContain(`GROUP BY ${key}\n`);
    expect(sql.match(/count\(\*\) FILTER \(WHERE/g)).toHaveLength(15);
    expect(sql).toContain(`LEAST(c.dispatched_at + interval '24 hours', COALESCE(c.deadline, c.dispatched_at + interval '24 hours'))`);
    expect(sql).toContain('c.parent_case_id IS NULL');
    expect(sql.split(';')).toHaveLength(1);
    expect(parameters).toContain('990100/990102%');
  });

  it('names departments through their module, and groups jurisdictions by their code column', () => {
    const dept = compiled({ ...base, groupBy: 'department', period: 'day' }).sql;
    expect(dept).toContain('(SELECT name FROM department WHERE id = c.department_id)');
    expect(dept).toContain('GROUP BY c.department_id');
    const street = compiled({ ...base, groupBy: 'street', period: 'day' }).sql;
    expect(street).toContain('(SELECT name FROM jurisdiction WHERE code = "c"."street_code")');
    expect(street).toContain('GROUP BY "c"."street_code"');
  });
});
