import type { paths } from '../../api/schema';

type Get<P extends keyof paths> = paths[P] extends { get: { responses: { 200: { content: { 'application/json': infer R } } } } } ? R : never;
type Body<P extends keyof paths, M extends 'post'> = paths[P][M] extends { requestBody?: { content: { 'application/json': infer B } } } ? B : never;

export type DisputeSummary = Get<'/api/disputes'>['items'][number];
export type DisputeDetail = Get<'/api/disputes/{id}'>;
export type DisputeVocabulary = Get<'/api/dispute-vocabulary'>;
export type DisputeAction = paths['/api/disputes/{id}/actions/{action}']['post']['parameters']['path']['action'];
export type DisputeActionBody = NonNullable<Body<'/api/disputes/{id}/actions/{action}', 'post'>>;
export type NewDispute = Body<'/api/disputes', 'post'>;

/** `{ zh, en }` labels of the vocabulary, typed loosely: the server sends them as records. */
export type Labels = Record<string, { zh: string; en: string; type?: string }>;
export const labels = (v: DisputeVocabulary | undefined, part: keyof DisputeVocabulary) => (v?.[part] ?? {}) as Labels;
