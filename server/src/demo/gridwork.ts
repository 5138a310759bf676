import type { Kysely } from 'kysely';
import { loadConfig } from '../config.js';
import type { Database } from '../db/schema.js';
import { createUser } from '../modules/auth/index.js';
import { localDateOf, shiftDay } from '../modules/calendar/index.js';
import { type CareGroup, labelForGroup, nextVisitDue } from '../modules/people/index.js';
import { fieldCipherFor, idCheckCharacter, rankOf } from '../modules/privacy/index.js';
import { DEMO_GRID_WORKERS, demoIdNumber, demoPeople } from './city.js';

/**
 * Grid-worker profiles with their grids, and the people served of the demo's first street (sealed like real ones:
 * the keys come from the same configuration the server reads). Grid workers keep the 内部 clearance the demo gives
 * them, so they see the care groups (elderly, children, hardship) and not the 敏感 ones (corrections, mental health).
 */
export async function seedGridwork(trx: Kysely<Database>, password: string): Promise<void> {
  const pii = fieldCipherFor(loadConfig());
  const today = localDateOf(new Date());
  const gridIds = new Map((await trx.selectFrom('grid').select(['id', 'code', 'community_code']).execute()).map((g) => [g.code, g]));
  const paths = new Map((await trx.selectFrom('jurisdiction').select(['code', 'path']).execute()).map((j) => [j.code, j.path]));
  const workerOfGrid = new Map<string, number>();
  for (const w of DEMO_GRID_WORKERS) {
    const grid = gridIds.get(w.gridCode)!;
    const existing = await trx.selectFrom('app_user').select('id').where('username', '=', w.username).executeTakeFirst();
    const id = existing?.id ?? (await createUser(trx, { username: w.username, displayName: w.displayName, password, roles: ['grid_worker'], jurisdictionCode: grid.community_code, departmentId: null, isDemo: true }));
    await trx.insertInto('grid_worker').values({ user_id: id, employment: w.employment, community_code: grid.community_code, jurisdiction_path: paths.get(grid.community_code)!, started_on: '2024-03-01' }).execute();
    await trx.insertInto('grid_worker_assignment').values({ user_id: id, grid_id: grid.id, from_on: '2024-03-01', reason: '演示城市初始分配 / demo assignment', assigned_by: null }).execute();
    await trx.insertInto('grid_worker_training').values({ user_id: id, title: '网格员岗前培训', hours: 16, completed_on: '2024-02-20' }).execute();
    workerOfGrid.set(w.gridCode, id);
  }
  let seq = 101;
  for (const p of demoPeople()) {
    const grid = gridIds.get(p.gridCode)!;
    const group = p.careGroup as CareGroup;
    const registeredOn = shiftDay(today, -60);
    const lastVisitOn = p.lastVisitDaysAgo === null ? null : shiftDay(today, -p.lastVisitDaysAgo);
    const label = labelForGroup(group);
    const idNumber = demoIdNumber('990102', p.birth, seq++, idCheckCharacter);
    const { id } = await trx
      .insertInto('person_served')
      .values({
        care_group: group,
        risk_level: p.riskLevel,
        risk_grade: p.riskGrade ?? null,
        name: pii.encryptField(p.name)!,
        id_number: pii.encryptField(idNumber),
        id_number_hash: pii.searchHash(idNumber, 'idNumber'),
        phone: pii.encryptField(`139${String(10_000_000 + seq * 7919).slice(0, 8)}`),
        address: pii.encryptField(p.address),
        community_code: grid.community_code,
        grid_id: grid.id,
        jurisdiction_path: paths.get(grid.community_code)!,
        security_label: label,
        security_rank: rankOf(label),
        registered_on: registeredOn,
        last_visit_on: lastVisitOn,
        next_visit_due: nextVisitDue({ group, risk: p.riskLevel, grade: p.riskGrade ?? null, registeredOn, lastVisitOn }),
        government_measures: pii.encryptField(p.plan.government),
        social_measures: pii.encryptField(p.plan.social),
        family_measures: pii.encryptField(p.plan.family),
        created_by: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const worker = workerOfGrid.get(p.gridCode);
    if (worker) await trx.insertInto('person_responsible').values({ person_id: id, side: 'government', user_id: worker }).execute();
    await trx.insertInto('person_responsible').values({ person_id: id, side: 'family', name: pii.encryptField(`${[...p.name][0]}家属`), phone: null }).execute();
  }
}
