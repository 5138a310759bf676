import { api, unwrap } from '../../api/client';
import { useFetch } from '../../hooks/useFetch';
import type { DisputeVocabulary } from './api';

let cached: Promise<DisputeVocabulary> | null = null;

/** The dispute vocabulary (types, paths, statuses, outcomes, actions), fetched once per page load. */
export function useVocabulary(): DisputeVocabulary | undefined {
  return useFetch(() => (cached ??= unwrap(api.GET('/api/dispute-vocabulary'))), []).data;
}
