import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { createUser, needsSecondFactor } from '../modules/auth/index.js';
import { DEPARTMENT_KINDS, insertDepartments, type NewDepartment } from '../modules/departments/index.js';
import { insertGrids } from '../modules/grids/index.js';
import { upsertJurisdictions } from '../modules/jurisdictions/index.js';
import { DEMO_ACCOUNTS, DEMO_CITY_CODE, demoCity } from './city.js';
import { seedGridwork } from './gridwork.js';
import { seedMediationDemo } from '../modules/mediation/index.js';

/** A department's name as the demo city would print it: 青河市公安局, 青河区消防救援大队. */
function departmentName(place: string, zh: string, level: 'city' | 'district'): string {
  const plain = zh.replace(/（.*?）/g, '');
  const [first, second] = plain.split('/');
  const name = second === undefined || level === 'city' ? first! : first!.replace(/支队$/, '') + second;
  return `${place}${name}`;
}

/** Seeds the demo city; does nothing when it is already there. Returns whether it seeded. */
export async function seedDemo(db: Kysely<Database>, password: string, totpSecret = 'ZHILIDEMO2FA7777'): Promise<boolean> {
  const exists = await db.selectFrom('jurisdiction').select('code').where('code', '=', DEMO_CITY_CODE).executeTakeFirst();
  if (exists) return false;
  const { jurisdictions, grids } = demoCity();
  await db.transaction().execute(async (trx) => {
    await upsertJurisdictions(trx, jurisdictions);
    const departments: NewDepartment[] = [];
    for (const j of jurisdictions) {
      if (j.level !== 'city' && j.level !== 'district') continue;
      for (const k of DEPARTMENT_KINDS) {
        if (!k.levels.includes(j.level)) continue;
        departments.push({ code: `${j.code}-${k.kind}`, name: departmentName(j.name, k.zh, j.level), kind: k.kind, level: j.level, jurisdictionCode: j.code, phone: null });
      }
    }
    await insertDepartments(trx, departments);
    await insertGrids(trx, grids.map((g) => ({ ...g, status: 'active' as const })), { reason: '演示城市初始划分 / demo city initial division', filingNumber: 'DEMO-2026-001', filedBy: null });
    for (const a of DEMO_ACCOUNTS) {
      let departmentId: number | null = null;
      if (a.departmentKind) {
        const d = await trx.selectFrom('department').select('id').where('kind', '=', a.departmentKind).where('jurisdiction_code', '=', a.jurisdictionCode).executeTakeFirstOrThrow();
        departmentId = d.id;
      }
      const id = await createUser(trx, { username: a.username, displayName: a.displayName, password, roles: a.roles, jurisdictionCode: a.jurisdictionCode, departmentId, isDemo: true });
      // privileged demo accounts come enrolled with the README's TOTP secret, so the two-factor flow can be tried
      if (needsSecondFactor(a.roles)) await trx.updateTable('app_user').set({ totp_secret: totpSecret, totp_enabled: true }).where('id', '=', id).execute();
      // 敏感 clearance: the centres of city and district, supervisors and leaders, and those who take in petitions and
      // police referrals (which start 敏感); the street, community, grid and departments stay 内部 (docs/SECURITY.md)
      const level = jurisdictions.find((j) => j.code === a.jurisdictionCode)?.level;
      const cleared =
        a.roles.some((r) => r === 'supervisor' || r === 'leader' || r === 'hotline_operator' || r === 'intake_clerk') ||
        (a.roles.includes('dispatcher') && (level === 'city' || level === 'district'));
      if (cleared) await trx.updateTable('app_user').set({ clearance: 'confidential' }).where('id', '=', id).execute();
    }
    await seedGridwork(trx, password);
    await seedMediationDemo(trx);
  });
  return true;
}
