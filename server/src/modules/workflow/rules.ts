import type { Text } from '../../http/errors.js';
import type { Decision, Lifecycle, LifecycleTypes } from './types.js';

/** One row of a decision table. */
export interface Rule<L extends LifecycleTypes> {
  /** the statuses the action may start from */
  from: readonly L['status'][];
  /** may this actor take it (roles and relation to the record)? */
  who: (actor: L['actor'], state: L['state']) => boolean;
  /** an input the action cannot go without: refused first, naming its field */
  needs?: (facts: L['facts']) => (Text & { field: string }) | null;
  /** conditions beyond `from`, with the refusal when unmet */
  when?: (state: L['state'], actor: L['actor'], facts: L['facts']) => Text | null;
  /** where the action leads */
  to: (state: L['state'], actor: L['actor'], facts: L['facts']) => L['status'];
}

/** A lifecycle as written down: its vocabulary, its table, and the inputs a form asks for. */
export type LifecycleSpec<L extends LifecycleTypes> = Pick<Lifecycle<L>, 'kind' | 'noun' | 'statuses' | 'actions' | 'labels'> & {
  rules: Record<L['action'], Rule<L>>;
  /** facts that meet every `needs`: the allowed actions are listed as if they were given */
  probe: L['facts'];
};

/** Builds a lifecycle from its table: a pure `decide` and the list of allowed actions that follows from it. */
export function lifecycle<L extends LifecycleTypes>(spec: LifecycleSpec<L>): Lifecycle<L> {
  const { rules, probe, noun, statuses, labels, ...rest } = spec;
  function decide(state: L['state'], action: L['action'], actor: L['actor'], facts: L['facts']): Decision<L['status']> {
    const rule = rules[action];
    const missing = rule.needs?.(facts);
    if (missing) return { refusal: { code: 'required', ...missing } };
    if (!rule.who(actor, state)) {
      return { refusal: { code: 'forbidden', zh: `您无权对该${noun.zh}执行此操作`, en: `You may not take this action on this ${noun.en}` } };
    }
    const status = state.status as L['status'];
    if (!rule.from.includes(status)) {
      const s = statuses[status];
      const label = labels[action];
      return { refusal: { code: 'invalid_state', zh: `${noun.zh}当前状态为“${s.zh}”，不能${label.zh}`, en: `The ${noun.en} is ${s.en.toLowerCase()}; "${label.en}" is not possible now` } };
    }
    const refusal = rule.when?.(state, actor, facts);
    if (refusal) return { refusal: { code: 'invalid_state', ...refusal } };
    return { effects: { to: rule.to(state, actor, facts) } };
  }
  return {
    ...rest,
    noun,
    statuses,
    labels,
    decide,
    allowed: (state, actor) => spec.actions.filter((action) => 'effects' in decide(state, action, actor, probe)),
  };
}

/** The status a record stays in: for rules whose action changes data but not the status. */
export const stay = <L extends LifecycleTypes>(state: L['state']): L['status'] => state.status as L['status'];
