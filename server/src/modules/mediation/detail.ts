import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { SessionUser } from '../auth/index.js';
import { caseHeads } from '../cases/index.js';
import type { FieldCipher } from '../privacy/index.js';
import { type DisputeDetailDto, eventLabel, maskedParty, toSummary } from './dto.js';
import { type DisputeAction, disputeLifecycle, hasAgreement } from './lifecycle.js';
import { disputeActor, disputeFacts } from './workflow.js';
import { type DisputeRow, disputeDiversions, disputeEvents, disputeFollowUps, disputeMeetings, disputeParties, disputeSessions, findMediator, findOrg } from './repository.js';

/** A dispute as the API sends it: parties masked, the whole history, and what the caller may do now. */
export async function disputeDetail(db: Kysely<Database>, pii: FieldCipher, user: SessionUser, d: DisputeRow, lang: 'zh' | 'en', known?: DisputeAction[]): Promise<DisputeDetailDto> {
  const [c, parties, diversions, sessions, followUps, meetings, events, actor, mediator, org] = await Promise.all([
    caseHeads(db, [d.case_id]).then(([head]) => head!),
    disputeParties(db, d.id),
    disputeDiversions(db, d.id),
    disputeSessions(db, d.id),
    disputeFollowUps(db, d.id),
    disputeMeetings(db, d.id),
    disputeEvents(db, d.id),
    disputeActor(db, d, user),
    d.mediator_id ? findMediator(db, d.mediator_id) : undefined,
    d.org_id ? findOrg(db, d.org_id) : undefined,
  ]);
  const facts = disputeFacts(d);
  return {
    ...toSummary({ ...d, case_number: c.number, case_title: c.title }),
    facts: d.facts,
    parties: parties.map((p) => maskedParty(pii, p)),
    mediatorName: mediator?.display_name ?? null,
    orgName: org?.name ?? null,
    terms: d.terms,
    performanceMethod: d.performance_method,
    performanceDeadline: d.performance_deadline,
    concludedAt: d.concluded_at?.toISOString() ?? null,
    confirmation: { court: d.court, appliedOn: d.confirmation_applied_at, decision: d.confirmation_decision, decidedOn: d.confirmation_decided_at },
    leadDepartmentId: d.lead_department_id,
    otherPath: d.other_path,
    actions: known ?? disputeLifecycle.allowed(facts, actor),
    canGenerateAgreement: hasAgreement(facts) && (actor.assignedMediator || (actor.atCentre && user.roles.some((r) => r === 'dispatcher' || r === 'supervisor'))),
    diversions: diversions.map((v) => ({ id: v.id, path: v.path, reason: v.reason, receivingBody: v.receiving_body, orgId: v.org_id, orgName: v.org_name, at: v.diverted_at.toISOString() })),
    sessions: sessions.map((s) => ({ id: s.id, heldAt: s.held_at.toISOString(), place: s.place, participants: s.participants, minutes: s.minutes, mediatorName: s.mediator_name })),
    followUps: followUps.map((f) => ({ id: f.id, dueOn: f.due_on, doneAt: f.done_at?.toISOString() ?? null, result: f.result, remindedAt: f.reminded_at?.toISOString() ?? null })),
    meetings: meetings.map((m) => ({ id: m.id, heldAt: m.held_at.toISOString(), departmentIds: m.department_ids, leadDepartmentId: m.lead_department_id, organiserCode: m.organiser_code, minutes: m.minutes })),
    timeline: events.map((e) => ({ id: e.id, at: e.at.toISOString(), actorName: e.actor_name, action: e.action, actionLabel: eventLabel(e.action, lang), fromStatus: e.from_status, toStatus: e.to_status, note: e.note, detail: e.detail })),
  };
}
