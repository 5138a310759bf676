// Personal data: field encryption, keys, masking, security labels, retention. What other modules may use; everything else here is internal.
export type { FieldCipher, Sealed } from './crypto.js';
export { fieldCipherFor } from './keys.js';
export { LABEL_NAMES, SECURITY_LABELS, decideLabelChange, dominates, intakeLabel, rankOf } from './labels.js';
export type { LabelRefusal, SecurityLabel } from './labels.js';
export { LOG_REDACTION } from './logging.js';
export { maskAddress, maskIdNumber, maskName, maskNumbersIn, maskPhone } from './mask.js';
export { unsealingAdapter } from './outbox.js';
export { PROVINCE_PREFIXES, checkIdNumber, checkPhone, idCheckCharacter } from './validate.js';
export { retentionCutoffs, retentionPolicy } from './retention.js';
export type { RetentionCutoffs, RetentionPolicy } from './retention.js';
