import type { AccessRule } from '../access/rule.js';

/**
 * A notice (站内消息) is its recipient's alone, and only while the recipient may still see the record it is about:
 * a case relabelled or moved away takes its notices' titles with it (access/index.ts `visibleRecord`).
 */
export const noticeRule: AccessRule = {
  kind: 'notice',
  table: 'notification',
  place: [],
  placeRoles: [],
  rank: null,
  relations: [{ name: 'recipient', roles: 'any', sql: (eb, ref, v) => eb(ref('user_id'), '=', v.id), holds: (f, v) => f === v.id }],
  facts: async (db, id) => {
    const n = await db.selectFrom('notification').select(['user_id', 'record_kind', 'record_id']).where('id', '=', id).executeTakeFirst();
    return n && { paths: [], rank: 0, rel: { recipient: n.user_id }, parents: n.record_kind && n.record_id !== null ? [{ kind: n.record_kind, id: n.record_id }] : [] };
  },
};
