import type { FormInstance } from 'antd';
import { ApiError } from '../api/client';

/**
 * Puts a server error on the form field it names (`error.field`, e.g. "name" or "geometry.coordinates").
 * Returns the message to show above the form when no visible field matches, or null when the field shows it.
 */
export function applyApiError(form: FormInstance, err: unknown, fields: readonly string[]): string | null {
  if (!(err instanceof ApiError)) return err instanceof Error ? err.message : String(err);
  const field = err.field?.split('.')[0];
  if (field && fields.includes(field)) {
    form.setFields([{ name: field, errors: [err.message] }]);
    form.scrollToField(field);
    return null;
  }
  return err.message;
}
