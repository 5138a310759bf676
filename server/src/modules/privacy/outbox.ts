import type { DeliveryAdapter } from '../notifications/index.js';
import type { FieldCipher } from './crypto.js';
import { isSealed } from './crypto.js';

/**
 * The outbox keeps SMS recipients sealed (the case's encrypted phone, copied as it is). This wraps a delivery
 * adapter so it gets the plain number at the moment of sending, and only then; plain recipients (webhook names,
 * older rows) pass through. Wire it where the adapters are made (jobs.ts):
 *   defaultAdapters({...}).map((a) => unsealingAdapter(a, fieldCipherFor(config)))
 */
export function unsealingAdapter(adapter: DeliveryAdapter, pii: FieldCipher): DeliveryAdapter {
  return {
    channel: adapter.channel,
    send: (message, options) => adapter.send(isSealed(message.recipient) ? { ...message, recipient: pii.decryptField(message.recipient) } : message, options),
  };
}
