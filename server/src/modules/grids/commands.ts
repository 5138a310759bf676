import type { Kysely } from 'kysely';
import type { Database, GeoJsonPolygon, GridKind } from '../../db/schema.js';
import { AppError, badRequest, conflict, notFound } from '../../http/errors.js';
import { recordAudit } from '../audit/index.js';
import type { SessionUser } from '../auth/index.js';
import { findInScope } from '../jurisdictions/index.js';
import { validatePolygon } from './geometry.js';
import { codeExists, type GridFields, insertGrid, lockGrid, updateGrid } from './repository.js';

export const DEDICATED_CATEGORIES = ['school', 'hospital', 'park', 'industrial_park', 'government', 'compound', 'market', 'transport_hub', 'scenic_area'] as const;

function checkGeometry(geometry: unknown) {
  const problem = validatePolygon(geometry);
  if (problem) throw new AppError(400, 'invalid_geometry', { zh: problem.zh, en: problem.en }, problem.field);
}

async function checkCommunity(db: Kysely<Database>, code: string, user: SessionUser) {
  const community = await findInScope(db, code, user);
  if (!community) throw badRequest('communityCode', `社区 ${code} 不存在或不在您的管辖范围内`, `Community ${code} does not exist or is outside your scope`, 'unknown_code');
  if (community.level !== 'community') throw badRequest('communityCode', `${code} 不是社区级辖区`, `${code} is not a community`, 'unknown_code');
}

function checkCategory(kind: GridKind, category: string | null) {
  if (kind === 'dedicated' && !category) throw badRequest('category', '专属网格必须填写类别', 'A dedicated grid needs a category');
  if (category && !(DEDICATED_CATEGORIES as readonly string[]).includes(category)) {
    throw badRequest('category', `未知的网格类别 ${category}`, `Unknown grid category ${category}`);
  }
}

export interface CreateGridProps {
  code: string;
  name: string;
  kind: GridKind;
  category?: string | null | undefined;
  communityCode: string;
  geometry: GeoJsonPolygon;
  reason: string;
  filingNumber?: string | null | undefined;
}

export async function createGrid(db: Kysely<Database>, user: SessionUser, props: CreateGridProps, ip: string | null): Promise<number> {
  checkGeometry(props.geometry);
  checkCategory(props.kind, props.category ?? null);
  return db.transaction().execute(async (trx) => {
    await checkCommunity(trx, props.communityCode, user);
    if (await codeExists(trx, props.code)) throw conflict('code', `网格编码 ${props.code} 已存在`, `Grid code ${props.code} already exists`);
    const id = await insertGrid(
      trx,
      props.code,
      { name: props.name, kind: props.kind, category: props.category ?? null, communityCode: props.communityCode, geometry: props.geometry, status: 'active' },
      { reason: props.reason, filingNumber: props.filingNumber ?? null, filedBy: user.id },
    );
    await recordAudit(trx, { actorId: user.id, action: 'grid.create', entity: 'grid', entityId: String(id), detail: { code: props.code, reason: props.reason }, ip });
    return id;
  });
}

export interface ChangeGridProps {
  name?: string | undefined;
  category?: string | null | undefined;
  communityCode?: string | undefined;
  geometry?: GeoJsonPolygon | undefined;
  status?: 'active' | 'retired' | undefined;
  reason: string;
  filingNumber?: string | null | undefined;
  /** the version the user edited; a newer one means someone else changed the grid meanwhile */
  expectedVersion?: number | undefined;
}

/** A division change (划分调整): a new dated, filed version; the old one is kept. */
export async function changeGrid(db: Kysely<Database>, user: SessionUser, id: number, props: ChangeGridProps, ip: string | null): Promise<void> {
  if (props.geometry !== undefined) checkGeometry(props.geometry);
  await db.transaction().execute(async (trx) => {
    const current = await lockGrid(trx, id);
    if (!current || !(await findInScope(trx, current.community_code, user))) throw notFound('网格不存在或不在您的管辖范围内', 'Grid not found or outside your scope');
    if (props.expectedVersion !== undefined && props.expectedVersion !== current.version) {
      throw conflict('expectedVersion', `网格已被他人修改（当前版本 ${current.version}），请刷新后重试`, `The grid was changed meanwhile (now version ${current.version}); reload and retry`);
    }
    const next: GridFields = {
      name: props.name ?? current.name,
      kind: current.kind,
      category: props.category !== undefined ? props.category : current.category,
      communityCode: props.communityCode ?? current.community_code,
      geometry: props.geometry ?? current.geometry,
      status: props.status ?? current.status,
    };
    checkCategory(next.kind, next.category);
    if (props.communityCode !== undefined) await checkCommunity(trx, props.communityCode, user);
    await updateGrid(trx, id, current.version + 1, next, { reason: props.reason, filingNumber: props.filingNumber ?? null, filedBy: user.id });
    await recordAudit(trx, { actorId: user.id, action: 'grid.change', entity: 'grid', entityId: String(id), detail: { version: current.version + 1, reason: props.reason }, ip });
  });
}
